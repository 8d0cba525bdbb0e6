using System.Management.Automation;
using Skillancer.Deploy.Engine.Kubernetes.Canary;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Changes the share of traffic a running canary gets; the stable subset gets the rest.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "SkCanaryWeight", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CanaryStatus))]
public sealed class SetSkCanaryWeightCommand : CanaryCmdlet
{
    /// <summary>
    /// <para type="description">The canary's share of traffic, in percent (0 to 100).</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 2)]
    public int Weight { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        CanaryRoutes.CheckWeight(Weight);
        RunCanary((cluster, environment, service, admission, host, token) => CanaryManager.SetWeightAsync(cluster, environment, service, Weight, admission, host, token));
    }
}
