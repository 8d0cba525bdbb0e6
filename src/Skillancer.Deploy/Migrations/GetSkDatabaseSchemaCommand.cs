using System.Management.Automation;
using Skillancer.Deploy.Completers;
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
    /// <para type="description">The tables to show. Wildcards are allowed. Defaults to all. A name without wildcards that
    /// matches no table is a TableNotFound error, and the tables that do exist are still shown. Tab completes from the
    /// database (within 2 seconds).</para>
    /// </summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(DatabaseTableCompleter))]
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
        var filters = Table?.Select(t => WildcardPattern.ContainsWildcardCharacters(t)
            ? TableFilter.Pattern(t, new WildcardPattern(t, WildcardOptions.IgnoreCase).IsMatch)
            : TableFilter.Named(WildcardPattern.Unescape(t))).ToList();
        var request = new SchemaRequest(ResolveDatabase(), filters, IncludeMigrationsTable);
        var report = Await((host, token) => SchemaReader.ReadAsync(request, host, token));
        WriteObjects(report.Tables);
        foreach (var missing in report.Missing)
        {
            WriteError(missing);
        }
    }
}
