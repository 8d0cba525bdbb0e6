using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Rolls a version out to an environment's services, tier by tier in the runbook's order, waiting for each tier.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "SkRollout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RolloutResult))]
public sealed class StartSkRolloutCommand : KubernetesChangeCmdlet
{
    /// <summary>
    /// <para type="description">The version to roll out: 1.2.3 or v1.2.3 (pre-releases such as 1.2.3-rc.1 too) becomes
    /// the tag v1.2.3; any other valid image tag (latest, sha-1a2b3c) is used as given. Binds from the pipeline by
    /// property name.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Version { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The services to roll out. Defaults to every service of the environment; the order is
    /// always the runbook's.</para>
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    /// <summary>
    /// <para type="description">Start every tier at once and return without waiting; the results say Started.
    /// Wait-SkRollout waits for them.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>
    /// <para type="description">How long each tier may take. Defaults to the environment's kubernetes.rolloutTimeout,
    /// else 10m. Takes 30s, 5m, 1h or 00:05:00.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var request = new RolloutRequest(environment, SelectServices(Service), ImageTags.FromVersion(Version), !NoWait, Timeout ?? environment.Kubernetes.RolloutTimeout);
        if (Admit(environment, Overrides))
        {
            StartRollout(request);
        }
    }
}
