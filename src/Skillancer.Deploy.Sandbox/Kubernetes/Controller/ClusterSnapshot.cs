using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>The pods a deployment runs now, grouped by ReplicaSet: what the services' traffic follows.</summary>
internal sealed record PodGroup(string ReplicaSet, IReadOnlyList<string?> Images, ImageBehaviour Behaviour, int Ready);

/// <summary>Every deployment's running pods at one moment, by namespace and deployment name.</summary>
internal sealed record ClusterSnapshot(IReadOnlyDictionary<(string Namespace, string Deployment), IReadOnlyList<PodGroup>> Deployments)
{
    public static ClusterSnapshot Empty { get; } = new(new Dictionary<(string, string), IReadOnlyList<PodGroup>>());

    public IReadOnlyList<PodGroup>? Find(string ns, string deployment) => Deployments.GetValueOrDefault((ns, deployment));
}
