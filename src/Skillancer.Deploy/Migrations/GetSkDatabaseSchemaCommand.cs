using System.Management.Automation;
using Skillancer.Deploy.Engine.Migrations.Schema;

namespace Skillancer.Deploy.Migrations;

/// <summary>
/// <para type="synopsis">Reads the database's tables, columns, indexes and constraints from the catalog, as `prisma db pull --print` shows them.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SkDatabaseSchema")]
[OutputType(typeof(DatabaseTable))]
public sealed class GetSkDatabaseSchemaCommand : MigrationCmdlet
{
    /// <summary>
    /// <para type="description">The tables to show. Wildcards are allowed. Defaults to all.</para>
    /// </summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Table { get; set; }

    /// <summary>
    /// <para type="description">Include Prisma's _prisma_migrations table.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter IncludeMigrationsTable { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var database = ResolveDatabase();
        var tables = Await((host, token) => SchemaReader.ReadAsync(database, IncludeMigrationsTable, host, token));
        var patterns = Table?.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
        WriteObjects(patterns is null ? tables : tables.Where(t => patterns.Any(p => p.IsMatch(t.Name))));
    }
}
