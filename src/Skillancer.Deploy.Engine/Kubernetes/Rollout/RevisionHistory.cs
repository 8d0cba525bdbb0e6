using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>
/// A deployment's revisions, as `kubectl rollout history` finds them: the ReplicaSets its selector
/// matches and it controls, by their revision annotation.
/// </summary>
public static class RevisionHistory
{
    /// <summary>The label the deployment controller adds to tell a deployment's ReplicaSets apart.</summary>
    public const string HashLabel = "pod-template-hash";

    /// <summary>The deployment's ReplicaSets by revision (oldest first).</summary>
    public static async Task<IReadOnlyList<(long Revision, V1ReplicaSet ReplicaSet)>> ReplicaSetsAsync(
        ClusterConnection cluster, V1Deployment deployment, CancellationToken cancellationToken)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var selector = string.Join(",", (deployment.Spec.Selector.MatchLabels ?? new Dictionary<string, string>()).Select(p => $"{p.Key}={p.Value}"));
        var list = await KubeFailures.CallAsync(cluster, ClusterPermissions.ListReplicaSets, $"list the ReplicaSets of deployment {ns}/{deployment.Metadata.Name}",
            () => cluster.Client.AppsV1.ListNamespacedReplicaSetAsync(ns, labelSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return list.Items
            .Where(rs => rs.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == deployment.Metadata.Uid) == true)
            .Select(rs => (Revisions.Of(rs.Metadata), rs))
            .Where(r => r.Item1 > 0)
            .OrderBy(r => r.Item1)
            .ToList();
    }

    /// <summary>One entry per revision of the service's deployment, oldest first.</summary>
    public static async Task<IReadOnlyList<RevisionEntry>> GetAsync(
        ClusterConnection cluster, EnvironmentConfig environment, ServiceConfig service, CancellationToken cancellationToken)
    {
        var deployment = await Deployments.ReadAsync(cluster, environment.Kubernetes.Namespace, service.Deployment, cancellationToken).ConfigureAwait(false);
        var current = Revisions.Of(deployment.Metadata);
        return (await ReplicaSetsAsync(cluster, deployment, cancellationToken).ConfigureAwait(false))
            .Select(r => new RevisionEntry
            {
                Environment = environment.Name,
                Service = service.Name,
                Revision = r.Revision,
                Image = r.ReplicaSet.Spec.Template.Spec.Containers.FirstOrDefault(c => c.Name == service.Container)?.Image
                    ?? r.ReplicaSet.Spec.Template.Spec.Containers[0].Image,
                ChangeCause = r.ReplicaSet.Metadata.Annotations?.TryGetValue(ChangeCause.Annotation, out var cause) == true ? cause : null,
                CreatedAt = r.ReplicaSet.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
                ReplicaSet = r.ReplicaSet.Metadata.Name,
                Current = r.Revision == current,
            })
            .ToList();
    }

    /// <summary>True when two pod templates are the same once the pod-template-hash label is set aside (kubectl's EqualIgnoreHash).</summary>
    public static bool SameTemplate(V1PodTemplateSpec a, V1PodTemplateSpec b) =>
        KubernetesJson.Serialize(WithoutHash(a)) == KubernetesJson.Serialize(WithoutHash(b));

    /// <summary>A copy of the template without the pod-template-hash label.</summary>
    public static V1PodTemplateSpec WithoutHash(V1PodTemplateSpec template)
    {
        var copy = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(template));
        copy.Metadata?.Labels?.Remove(HashLabel);
        return copy;
    }
}

/// <summary>One revision of a deployment, as `kubectl rollout history` lists it.</summary>
public sealed record RevisionEntry
{
    /// <summary>The environment.</summary>
    public required string Environment { get; init; }

    /// <summary>The service.</summary>
    public required string Service { get; init; }

    /// <summary>The revision number.</summary>
    public required long Revision { get; init; }

    /// <summary>The service's image in that revision.</summary>
    public required string Image { get; init; }

    /// <summary>The image's tag.</summary>
    public string Version => ImageTags.Tag(Image);

    /// <summary>Why the revision was rolled out, if recorded.</summary>
    public string? ChangeCause { get; init; }

    /// <summary>When its ReplicaSet was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The ReplicaSet that holds the revision.</summary>
    public required string ReplicaSet { get; init; }

    /// <summary>True for the revision the deployment runs now.</summary>
    public required bool Current { get; init; }
}
