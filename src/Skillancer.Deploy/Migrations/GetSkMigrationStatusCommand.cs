using System.Management.Automation;
using Skillancer.Deploy.Engine.Migrations;

namespace Skillancer.Deploy.Migrations;

/// <summary>
/// <para type="synopsis">Shows which migrations are applied, pending, failed, rolled back, edited or missing, as `prisma migrate status` does.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SkMigrationStatus")]
[OutputType(typeof(MigrationStatus), typeof(MigrationSummary))]
public sealed class GetSkMigrationStatusCommand : MigrationCmdlet
{
    /// <summary>
    /// <para type="description">The migrations folder. Defaults to the environment's database.migrations, else
    /// ./prisma/migrations.</para>
    /// </summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// <para type="description">Emit one summary object (UpToDate, Applied, Pending, Failed, Modified, MissingLocally,
    /// RolledBack) instead of one object per migration.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var source = ResolveSource(Path);
        var statuses = Await((host, token) => MigrationStatusReader.ReadAsync(source, host, token));
        if (Summary)
        {
            WriteObject(MigrationStatusReader.Summarize(statuses, source));
            return;
        }

        WriteObjects(statuses);
    }
}
