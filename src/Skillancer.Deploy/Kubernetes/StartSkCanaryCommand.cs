using System.Management.Automation;
using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Starts a canary: runs the new version beside the stable one, waits until it is ready, then sends it a share of the traffic.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "SkCanary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = VersionSet)]
[OutputType(typeof(CanaryStatus))]
public sealed class StartSkCanaryCommand : CanaryCmdlet
{
    private const string VersionSet = "Version";
    private const string ImageTagSet = "ImageTag";

    /// <summary>
    /// <para type="description">The version the canary runs, a full SemVer 2.0 version: 1.2.3 or v1.2.3 becomes the tag
    /// v1.2.3. Anything else (1.2, v1.2.3.4, latest) is refused with InvalidVersion, which names the nearest valid
    /// version.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = VersionSet)]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>
    /// <para type="description">An image tag that is not a version (latest, sha-1a2b3c), used exactly as given. Use it
    /// instead of -Version.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ImageTagSet)]
    [ValidateNotNullOrEmpty]
    public string? ImageTag { get; set; }

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
    /// kubernetes.rolloutTimeout, else 10m. Zero, negative or under 1s is refused with InvalidTimeout before anything
    /// changes.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        CanaryRoutes.CheckWeight(Weight);
        var tag = ImageTags.Choose(Version, ImageTag);
        RunCanary((cluster, environment, service, admission, host, token) =>
            CanaryManager.StartAsync(cluster, environment, service, tag, Weight, Replicas, Timeout ?? environment.Kubernetes.RolloutTimeout, admission, host, token),
            version: tag);
    }
}
