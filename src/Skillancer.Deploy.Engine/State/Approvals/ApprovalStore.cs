using k8s;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.State.Approvals;

/// <summary>The approvals of an environment, as Secrets in its namespace (<see cref="ApprovalCodec"/>).</summary>
public static class ApprovalStore
{
    /// <summary>Every approval of the environment, newest first; with a version, only that version's (1.2.3 and v1.2.3 alike).</summary>
    public static async Task<IReadOnlyList<DeploymentApproval>> ListAsync(ClusterConnection cluster, EnvironmentConfig environment, string? version, CancellationToken cancellationToken)
    {
        var secrets = await KubeFailures.CallAsync(cluster, ClusterPermissions.ListSecrets, $"read the approvals of {environment.Name}", () =>
            cluster.Client.CoreV1.ListNamespacedSecretAsync(environment.Kubernetes.Namespace, labelSelector: ApprovalCodec.Selector(environment.Name), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return secrets.Items
            .Select(ApprovalCodec.FromSecret)
            .OfType<DeploymentApproval>()
            .Where(a => version is null || SameVersion(a.Version, version))
            .OrderByDescending(a => a.ApprovedAt)
            .ThenByDescending(a => a.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The approval with this id; ApprovalNotFound when there is none.</summary>
    public static async Task<DeploymentApproval> GetAsync(ClusterConnection cluster, EnvironmentConfig environment, string id, CancellationToken cancellationToken) =>
        (await ListAsync(cluster, environment, null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => a.Id == id)
        ?? throw new DeployException(StateErrors.ApprovalNotFound, DeployErrorCategory.ObjectNotFound,
            $"{environment.Name} has no approval {id}: it was revoked, or never given. Get-SkApproval -Environment {environment.Name} lists the approvals there are.", id);

    /// <summary>Writes an approval; a 403 is ApprovalForbidden.</summary>
    internal static Task CreateAsync(ClusterConnection cluster, EnvironmentConfig environment, DeploymentApproval approval, CancellationToken cancellationToken) =>
        Forbidden(environment, "approve", () => KubeFailures.CallAsync(cluster, ApproverPermissions.CreateSecret, $"write the approval of {approval.Version} for {environment.Name}", () =>
            cluster.Client.CoreV1.CreateNamespacedSecretAsync(ApprovalCodec.ToSecret(approval, environment.Kubernetes.Namespace), environment.Kubernetes.Namespace, cancellationToken: cancellationToken)));

    /// <summary>Deletes an approval (one already gone is fine); a 403 is ApprovalForbidden.</summary>
    internal static Task DeleteAsync(ClusterConnection cluster, EnvironmentConfig environment, DeploymentApproval approval, CancellationToken cancellationToken) =>
        Forbidden(environment, "revoke", () => KubeFailures.FindAsync(cluster, ApproverPermissions.DeleteSecret, $"revoke the approval {approval.Id} of {environment.Name}", () =>
            cluster.Client.CoreV1.DeleteNamespacedSecretAsync(ApprovalCodec.ObjectName(environment.Name, approval.Id), environment.Kubernetes.Namespace, cancellationToken: cancellationToken)));

    /// <summary>1.2.3 and v1.2.3 are the same version.</summary>
    public static bool SameVersion(string a, string b) => string.Equals(Bare(a), Bare(b), StringComparison.OrdinalIgnoreCase);

    private static string Bare(string version) => version.Trim() is var v && (v.StartsWith('v') || v.StartsWith('V')) ? v[1..] : v.Trim();

    private static async Task Forbidden<T>(EnvironmentConfig environment, string verb, Func<Task<T>> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (DeployException e) when (e.ErrorId == Kubernetes.KubernetesErrors.ClusterAccessDenied)
        {
            throw ApprovalErrors.Forbidden(environment, verb, e.Message);
        }
    }
}
