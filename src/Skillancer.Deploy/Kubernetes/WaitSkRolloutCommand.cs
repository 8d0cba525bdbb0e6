using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Waits for rollouts to finish, as `kubectl rollout status` does, on the watch API; can roll a failed one back.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "SkRollout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RolloutResult), typeof(RollbackResult))]
public sealed class WaitSkRolloutCommand : KubernetesCmdlet, IChangesEnvironment
{
    private readonly List<(EnvironmentConfig Environment, ServiceConfig Service, string? FromImage)> _targets = [];
    private readonly List<DeploymentChange> _failed = [];

    /// <summary>
    /// <para type="description">The services to wait for. Defaults to every service of the environment. Binds from the
    /// pipeline by property name.</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    /// <summary>
    /// <para type="description">How long to wait. Defaults to the environment's kubernetes.rolloutTimeout, else 10m.
    /// Takes 30s, 5m or 00:05:00. Zero, negative or under 1s is refused with InvalidTimeout.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// <para type="description">The image the rollout replaced. Start-SkRollout's results pass it from the pipeline, so
    /// the output still says what each rollout replaced (Watch-SkErrorRate -AutoRollback reverts exactly that), and
    /// -UndoOnFailure goes back to exactly that image. Applies when one service is named per input.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? FromImage { get; set; }

    /// <summary>
    /// <para type="description">Roll a service back to its previous revision (to exactly its FromImage when one is
    /// piped in) when its rollout fails or times out, and wait for the rollback too. Each piped-in result is handled
    /// as it arrives, so `Start-SkRollout | Wait-SkRollout -UndoOnFailure` rolls back even under
    /// $ErrorActionPreference = 'Stop'.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter UndoOnFailure { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var services = SelectServices(Service);
        var added = new List<(EnvironmentConfig Environment, ServiceConfig Service, string? FromImage)>();
        foreach (var service in services)
        {
            if (!_targets.Any(t => t.Environment.Name == environment.Name && t.Service.Name == service.Name))
            {
                added.Add((environment, service, services.Count == 1 ? FromImage : null));
            }
        }

        _targets.AddRange(added);
        if (UndoOnFailure)
        {
            // Act on each input as it arrives: under $ErrorActionPreference = 'Stop' the error of the step before
            // (Start-SkRollout's RolloutFailed) ends the pipeline before this cmdlet's end block would run. The
            // errors wait for the end block, so that one failure does not stop the rollback of the next input.
            Wait(added);
        }
    }

    /// <inheritdoc/>
    protected override void AfterInput()
    {
        if (!UndoOnFailure)
        {
            Wait(_targets);
        }

        WriteErrors(_failed.Select(f => f.Failure()).OfType<Engine.Primitives.DeployException>());
    }

    private void Wait(IReadOnlyList<(EnvironmentConfig Environment, ServiceConfig Service, string? FromImage)> targets)
    {
        foreach (var group in targets.GroupBy(t => t.Environment.Name))
        {
            var environment = group.First().Environment;
            var request = new RolloutWaitRequest(environment, [.. group.Select(t => new RolloutWaitTarget(t.Service, t.FromImage))], Timeout ?? environment.Kubernetes.RolloutTimeout).Validate();
            // The rollbacks -UndoOnFailure may make are admitted before the wait (a recovery action: the schedule never
            // blocks it; requireApproval asks now, or -Force). Declined: wait, and roll nothing back.
            request = request with { Undo = UndoOnFailure ? Admit(environment, Overrides, StepKind.Recovery) : null };
            // With rollbacks to make, the wait holds the environment's lock; a plain wait changes nothing and takes none.
            Func<ClusterConnection, OperationHost, CancellationToken, Task<IReadOnlyList<DeploymentChange>>> wait = (cluster, host, token) => RolloutWatch.WaitAsync(cluster, request, host, token);
            foreach (var result in request.Undo is { } undo ? OnCluster(undo, environment, new RecordSubject(RecordKind.Rollback, null, [.. group.Select(t => t.Service.Name)]), wait) : OnCluster(environment, wait))
            {
                WriteObject(result);
                if (result.Failure() is not null)
                {
                    _failed.Add(result);
                }
            }
        }
    }
}
