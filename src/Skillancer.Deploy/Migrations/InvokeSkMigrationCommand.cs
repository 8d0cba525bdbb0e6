using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Migrations;

/// <summary>
/// <para type="synopsis">Applies the pending migrations, as `prisma migrate deploy` does, each in its own transaction.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "SkMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(AppliedMigration))]
public sealed class InvokeSkMigrationCommand : MigrationChangeCmdlet
{
    /// <summary>
    /// <para type="description">The migrations folder. Defaults to the environment's database.migrations, else
    /// ./prisma/migrations.</para>
    /// </summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// <para type="description">Stop after this migration (its folder name). It must be in the folder. Tab completes
    /// from the migrations folder.</para>
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(MigrationNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? To { get; set; }

    /// <summary>
    /// <para type="description">Apply every pending migration inside one transaction, then roll it back, reporting what
    /// would have happened. Fails with DryRunNotPossible when a script cannot run in a transaction.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter DryRun { get; set; }

    /// <summary>
    /// <para type="description">Go on although an applied migration's file was edited after it ran.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter AllowModified { get; set; }

    /// <summary>
    /// <para type="description">Go on although the safety check found Error-level risks (destructive or not backward
    /// compatible). Required for such migrations on an environment that requires approval.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter AcknowledgeRisk { get; set; }

    /// <summary>
    /// <para type="description">How long to wait for the migration lock another run holds, and for the environment's lock (skdeploy-&lt;environment&gt;) when it keeps one. Default 10s; takes 30s, 1m,
    /// 00:00:30 or a number of seconds.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    protected override TimeSpan EnvironmentLockWait => LockTimeout;

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var request = new DeployRequest(ResolveSource(Path), To, DryRun, AllowModified, AcknowledgeRisk, LockTimeout);
        if (Admit() is { } admission)
        {
            WriteObjects(OnDatabase(admission, (host, token) => MigrationDeployer.DeployAsync(request, admission, host, token)));
        }
    }
}
