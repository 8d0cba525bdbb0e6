using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Waits for rollouts to finish, as `kubectl rollout status` does, on the watch API; can roll a failed one back.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "SkRollout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RolloutResult), typeof(RollbackResult))]
public sealed class WaitSkRolloutCommand : KubernetesCmdlet
{
    private readonly List<(EnvironmentConfig Environment, ServiceConfig Service, string? FromImage)> _targets = [];

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
    /// Takes 30s, 5m or 00:05:00.</para>
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
    /// <para type="description">Roll a service back to its previous revision when its rollout fails or times out, and
    /// wait for the rollback too.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter UndoOnFailure { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var services = SelectServices(Service);
        foreach (var service in services)
        {
            if (!_targets.Any(t => t.Environment.Name == environment.Name && t.Service.Name == service.Name))
            {
                _targets.Add((environment, service, services.Count == 1 ? FromImage : null));
            }
        }
    }

    /// <inheritdoc/>
    protected override void AfterInput()
    {
        foreach (var group in _targets.GroupBy(t => t.Environment.Name))
        {
            var environment = group.First().Environment;
            var timeout = Timeout ?? environment.Kubernetes.RolloutTimeout;
            ConfirmFor(environment);
            var outcomes = OnCluster(environment, (cluster, host, token) => Task.WhenAll(group.Select(t => RolloutWatch.WaitAsync(cluster, environment, t.Service, t.FromImage, timeout, UndoOnFailure, host, token))));
            foreach (var (rollout, rollback) in outcomes)
            {
                WriteObject(rollout);
                if (RolloutTracker.FailureOf(rollout) is { } failure)
                {
                    WriteError(failure);
                }

                if (rollback is not null)
                {
                    WriteObject(rollback);
                    if (DeploymentRollback.FailureOf(rollback) is { } rollbackFailure)
                    {
                        WriteError(rollbackFailure);
                    }
                }
            }
        }
    }
}
