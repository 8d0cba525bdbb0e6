namespace Skillancer.Deploy.Engine.Kubernetes.Discovery;

/// <summary>A deployment as found in a namespace: what a starter configuration proposes a service from.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Labels">The deployment's labels and its pod template's (the deployment's win).</param>
/// <param name="Containers">Its pod template's containers, in order.</param>
public sealed record FoundDeployment(string Namespace, string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<FoundContainer> Containers);

/// <summary>One container of a found deployment.</summary>
/// <param name="Name">The container's name.</param>
/// <param name="Image">The image it runs, as written in the template.</param>
/// <param name="ReadinessPath">The HTTP path of its readiness probe, if it has one.</param>
public sealed record FoundContainer(string Name, string Image, string? ReadinessPath);
