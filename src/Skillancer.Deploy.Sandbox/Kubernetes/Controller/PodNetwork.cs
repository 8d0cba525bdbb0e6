using System.Globalization;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>
/// The simulated node and the pod network: one node, and an address for every pod from 10.244.0.0/16, as a
/// single-node cluster's network plugin hands them out.
/// </summary>
internal sealed class PodNetwork
{
    public const string NodeName = "skillancer-sandbox";
    public const string HostIP = "172.18.0.2";

    private int _next;

    public string NextAddress()
    {
        var n = Interlocked.Increment(ref _next) % (256 * 254);
        return string.Create(CultureInfo.InvariantCulture, $"10.244.{n / 254}.{(n % 254) + 1}");
    }
}
