using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Migrations;

/// <summary>
/// <para type="synopsis">Runs a migration's hand-written rollback script in a transaction and marks the migration rolled back.</para>
/// </summary>
[Cmdlet(VerbsCommon.Undo, "SkMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MigrationStatus))]
public sealed class UndoSkMigrationCommand : OneMigrationCmdlet
{
    /// <summary>
    /// <para type="description">The folder of rollback scripts, each named &lt;migration&gt;.sql. Defaults to the
    /// environment's database.rollbackScripts.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RollbackPath { get; set; }

    /// <summary>
    /// <para type="description">How long to wait for the migration lock another run holds, and for the environment's lock (skdeploy-&lt;environment&gt;) when it keeps one. Default 10s.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    protected override TimeSpan EnvironmentLockWait => LockTimeout;

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var source = ResolveSource(Path, RollbackPath);
        if (Admit() is not { } admission)
        {
            return;
        }

        var status = OnDatabase(admission, (host, token) => MigrationUndoer.UndoAsync(source, Name, LockTimeout, admission, host, token));
        if (status is not null)
        {
            WriteObject(status);
        }
    }
}
