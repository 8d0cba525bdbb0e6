using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Migrations;

namespace Skillancer.Deploy.Migrations;

/// <summary>
/// A migration cmdlet that changes one named migration, given by -Name or piped from Get-SkMigrationStatus.
/// A piped migration brings its Environment along (bound by property name), and one read from another
/// environment or database than the cmdlet works on is refused with TargetMismatch before anything changes.
/// </summary>
public abstract class OneMigrationCmdlet : MigrationChangeCmdlet
{
    /// <summary>
    /// <para type="description">The migration's folder name, e.g. 20261128090000_add_jobs. Binds from the pipeline by
    /// property name. Tab completes from the migrations folder (-Path, else the environment's, else
    /// ./prisma/migrations), by its timestamp or by the words after it.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(MigrationNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">A migration from Get-SkMigrationStatus, usually piped. Its Name and Environment bind
    /// -Name and -Environment; it is refused with TargetMismatch when it was read from another environment or
    /// database than this command works on.</para>
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public MigrationStatus? InputObject { get; set; }

    /// <summary>
    /// <para type="description">The migrations folder. Defaults to the environment's database.migrations, else
    /// ./prisma/migrations.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <inheritdoc/>
    protected override MigrationSource ResolveSource(string? path, string? rollbackPath = null)
    {
        var source = base.ResolveSource(path, rollbackPath);
        source.RequireOrigin(InputObject);
        return source;
    }
}
