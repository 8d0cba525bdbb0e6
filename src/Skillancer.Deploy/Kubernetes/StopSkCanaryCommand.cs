using System.Management.Automation;
using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Policy;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Aborts a canary: all traffic goes back to the stable subset at once, then the canary is scaled to zero.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "SkCanary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CanaryStatus))]
public sealed class StopSkCanaryCommand : CanaryCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessInput() =>
        RunCanary((cluster, environment, service, admission, host, token) => CanaryManager.StopAsync(cluster, environment, service, admission, host, token), StepKind.Recovery);
}
