namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>One simulated pod: the name, uid and address its Pod object carries, and what its containers do over time.</summary>
internal sealed record SimulatedPod(string Name, string Uid, string IP, PodTimeline Timeline);
