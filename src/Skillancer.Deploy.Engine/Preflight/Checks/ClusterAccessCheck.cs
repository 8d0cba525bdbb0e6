using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.State.Identity;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>
/// The cluster allows what the deployment will do: a SelfSubjectAccessReview (kubectl auth can-i) for every permission
/// the rollout, canary, lock, journal and approvals need in the namespace. A missing one is named with the Role rule
/// that grants it.
/// </summary>
public sealed class ClusterAccessCheck : PreflightCheck
{
    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.ClusterAccess;

    /// <inheritdoc/>
    public override string Checklist => "The cluster allows what the deployment will do";

    /// <inheritdoc/>
    public override async Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var ns = context.Environment.Kubernetes.Namespace;
        var needed = ClusterPermissions.All.Where(p => !p.ClusterScoped).ToList();
        var answers = await Task.WhenAll(needed.Select(async p => (Access: p, Allowed: await IdentityReader.CanAsync(context.Cluster, p, ns, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        var missing = answers.Where(a => !a.Allowed).Select(a => a.Access).ToList();
        return missing.Count == 0
            ? PreflightVerdict.Passed($"The cluster allows all {needed.Count} requests the deployment sends in namespace {ns}.", $"{needed.Count} permissions")
            : PreflightVerdict.Failed(
                $"The cluster refuses {missing.Count} of the {needed.Count} requests the deployment sends in namespace {ns}: {string.Join(", ", missing.Select(m => $"'{m}'"))}. " +
                $"Add to the Role of README.md (\"Kubernetes: one Role per namespace\"): {string.Join(" ", missing.Select(Rule))}",
                $"{missing.Count} missing");
    }

    // The Role rule that grants one permission, as README's Role writes it.
    private static string Rule(ApiAccess access) => $"{{ apiGroups: [\"{access.Group}\"], resources: [\"{access.Resource}\"], verbs: [\"{access.Verb}\"] }}";
}
