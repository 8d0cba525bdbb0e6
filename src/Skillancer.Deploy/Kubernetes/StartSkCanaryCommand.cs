using System.Management.Automation;
using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Starts a canary: runs the new version beside the stable one, waits until it is ready, then sends it a share of the traffic.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "SkCanary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CanaryStatus))]
public sealed class StartSkCanaryCommand : CanaryCmdlet
{
    /// <summary>
    /// <para type="description">The version the canary runs: 1.2.3 or v1.2.3 becomes the tag v1.2.3; any other valid
    /// image tag is used as given.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Version { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The canary's share of traffic, in percent (0 to 100). Default 5, as in the
    /// runbook.</para>
    /// </summary>
    [Parameter]
    public int Weight { get; set; } = 5;

    /// <summary>
    /// <para type="description">How many canary pods to run. Defaults to the service's canary.replicas, else 1.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int? Replicas { get; set; }

    /// <summary>
    /// <para type="description">How long the canary may take to become ready. Defaults to the environment's
    /// kubernetes.rolloutTimeout, else 10m.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        CanaryRoutes.CheckWeight(Weight);
        var tag = ImageTags.FromVersion(Version);
        RunCanary((cluster, environment, service, host, token) =>
            CanaryManager.StartAsync(cluster, environment, service, tag, Weight, Replicas, Timeout ?? environment.Kubernetes.RolloutTimeout, host, token));
    }
}
