using System.Management.Automation;
using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Promotes a canary: rolls the stable deployment to the canary's image, sends it all traffic, and deletes the canary.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Complete, "SkCanary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CanaryStatus))]
public sealed class CompleteSkCanaryCommand : CanaryCmdlet
{
    /// <summary>
    /// <para type="description">How long the stable deployment's rollout may take. Defaults to the environment's
    /// kubernetes.rolloutTimeout, else 10m. Zero, negative or under 1s is refused with
    /// InvalidTimeout before anything changes.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput() =>
        RunCanary((cluster, environment, service, admission, host, token) =>
            CanaryManager.CompleteAsync(cluster, environment, service, Timeout ?? environment.Kubernetes.RolloutTimeout, admission, host, token));
}
