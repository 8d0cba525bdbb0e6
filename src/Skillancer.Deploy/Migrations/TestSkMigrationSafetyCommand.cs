using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Migrations.Folder;
using Skillancer.Deploy.Engine.Migrations.Safety;

namespace Skillancer.Deploy.Migrations;

/// <summary>
/// <para type="synopsis">Checks migrations against the runbook's Migration Safety Checklist and reports each risk.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SkMigrationSafety")]
[OutputType(typeof(SafetyFinding), typeof(bool))]
public sealed class TestSkMigrationSafetyCommand : ConfiguredCmdlet
{
    private readonly List<SafetyTarget> _targets = [];

    /// <summary>
    /// <para type="description">A migrations folder, one migration's folder, or a .sql file. Binds from
    /// Get-SkMigrationStatus (its Path). Defaults to the environment's database.migrations, else
    /// ./prisma/migrations.</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// <para type="description">Binds from Get-SkMigrationStatus: only Pending and RolledBack migrations are
    /// checked.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? State { get; set; }

    /// <summary>
    /// <para type="description">The environment whose migrations folder and large tables (database.largeTables) to
    /// use.</para>
    /// </summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Environment { get; set; }

    /// <summary>
    /// <para type="description">Tables whose changes must be scheduled separately, in addition to the environment's
    /// database.largeTables.</para>
    /// </summary>
    [Parameter]
    public string[] LargeTable { get; set; } = [];

    /// <summary>
    /// <para type="description">Return only $true (no Error-level risk) or $false, and write no MigrationSafetyFailed
    /// error.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        if (State is not null && State is not ("Pending" or "RolledBack"))
        {
            return;
        }

        var database = Environment is null ? null : Config.Environment(Environment).Database;
        var path = MigrationFolder.Locate(Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path), database, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
        _targets.Add(new SafetyTarget(path, LargeTable.Concat(database?.LargeTables ?? []).ToList()));
    }

    /// <inheritdoc/>
    protected override void AfterInput()
    {
        var gate = Await((host, _) => Task.FromResult(MigrationSafetyCheck.Check(_targets, host)));
        WriteGate(gate, Quiet);
    }
}
