namespace Skillancer.Deploy.Engine.Kubernetes.Cluster;

/// <summary>
/// One thing the module asks a Kubernetes API server to do, in RBAC's terms: a verb on a resource
/// (with its subresource, e.g. <c>deployments/scale</c>) of an API group (<c>""</c> is the core group).
/// </summary>
/// <param name="Group">The API group: <c>apps</c>, <c>networking.istio.io</c>, or <c>""</c> for the core group.</param>
/// <param name="Resource">The resource as RBAC names it, e.g. <c>deployments</c> or <c>deployments/scale</c>.</param>
/// <param name="Verb">The RBAC verb: get, list, watch, create, update, patch or delete.</param>
/// <param name="ClusterScoped">True for a resource outside namespaces (it needs a ClusterRole, not a Role).</param>
public sealed record ApiAccess(string Group, string Resource, string Verb, bool ClusterScoped = false)
{
    /// <summary><c>patch deployments.apps</c>, <c>list namespaces</c>: as <c>kubectl auth can-i</c> takes them.</summary>
    public override string ToString() => Group.Length == 0 ? $"{Verb} {Resource}" : $"{Verb} {Resource}.{Group}";
}
