using System.Reflection;

namespace Skillancer.Deploy.Engine.Kubernetes.Cluster;

/// <summary>
/// Every request the module sends to the Kubernetes API, as the RBAC permission it needs. Each call
/// site names its entry (<see cref="KubeFailures.CallAsync{T}"/> takes one), so a 403 says exactly which
/// permission is missing, and README's Role is tested against <see cref="All"/>: this list is the one
/// place that knows what the module calls.
/// </summary>
public static class ClusterPermissions
{
    private const string Apps = "apps";
    private const string Istio = "networking.istio.io";
    private const string Coordination = "coordination.k8s.io";

    /// <summary>Read a service's deployment (every cmdlet that looks at a service; the canary too).</summary>
    public static readonly ApiAccess GetDeployment = new(Apps, "deployments", "get");

    /// <summary>List deployments: before watching one (Wait-SkRollout), and New-SkConfiguration -FromCluster.</summary>
    public static readonly ApiAccess ListDeployments = new(Apps, "deployments", "list");

    /// <summary>Watch a deployment while its rollout runs.</summary>
    public static readonly ApiAccess WatchDeployments = new(Apps, "deployments", "watch");

    /// <summary>Set an image (Start-SkRollout, Complete-SkCanary) and roll back (Undo-SkDeployment).</summary>
    public static readonly ApiAccess PatchDeployment = new(Apps, "deployments", "patch");

    /// <summary>Create the &lt;deployment&gt;-canary deployment (Start-SkCanary).</summary>
    public static readonly ApiAccess CreateDeployment = new(Apps, "deployments", "create");

    /// <summary>Replace a running canary's template (Start-SkCanary on a canary that already runs).</summary>
    public static readonly ApiAccess UpdateDeployment = new(Apps, "deployments", "update");

    /// <summary>Delete the canary deployment once it is promoted (Complete-SkCanary).</summary>
    public static readonly ApiAccess DeleteDeployment = new(Apps, "deployments", "delete");

    /// <summary>Scale the canary to zero (Stop-SkCanary).</summary>
    public static readonly ApiAccess PatchDeploymentScale = new(Apps, "deployments/scale", "patch");

    /// <summary>A deployment's revisions (Get-SkDeploymentHistory, Undo-SkDeployment).</summary>
    public static readonly ApiAccess ListReplicaSets = new(Apps, "replicasets", "list");

    /// <summary>Read the canary's VirtualService.</summary>
    public static readonly ApiAccess GetVirtualService = new(Istio, "virtualservices", "get");

    /// <summary>Write the canary's weights into its VirtualService.</summary>
    public static readonly ApiAccess UpdateVirtualService = new(Istio, "virtualservices", "update");

    /// <summary>Find the DestinationRule that defines the canary subset's pod labels.</summary>
    public static readonly ApiAccess ListDestinationRules = new(Istio, "destinationrules", "list");

    /// <summary>Read an environment's lock (its Lease): every action that changes the environment, before its first change.</summary>
    public static readonly ApiAccess GetLease = new(Coordination, "leases", "get");

    /// <summary>Create an environment's lock the first time anything changes it.</summary>
    public static readonly ApiAccess CreateLease = new(Coordination, "leases", "create");

    /// <summary>Take, renew and release an environment's lock (and break it: Unlock-SkEnvironment).</summary>
    public static readonly ApiAccess UpdateLease = new(Coordination, "leases", "update");

    /// <summary>Read one record of the environment's journal (Export-SkDeploymentReport -Id, marking a dead holder's record abandoned).</summary>
    public static readonly ApiAccess GetConfigMap = new("", "configmaps", "get");

    /// <summary>List the journal's records (Get-SkDeploymentLog, and pruning after each new record).</summary>
    public static readonly ApiAccess ListConfigMaps = new("", "configmaps", "list");

    /// <summary>Open a record before an action's first change.</summary>
    public static readonly ApiAccess CreateConfigMap = new("", "configmaps", "create");

    /// <summary>Close a record when its action ends.</summary>
    public static readonly ApiAccess UpdateConfigMap = new("", "configmaps", "update");

    /// <summary>Prune the oldest records beyond journal.keep.</summary>
    public static readonly ApiAccess DeleteConfigMap = new("", "configmaps", "delete");

    /// <summary>Read the approvals (Secrets of type skillancer.com/approval) of an environment that requires approval, before a change.</summary>
    public static readonly ApiAccess ListSecrets = new("", "secrets", "list");

    /// <summary>
    /// List the namespaces a context can see: New-SkConfiguration -FromCluster only, and optional (without
    /// it, the context's namespace or -Namespace is used). The one cluster-scoped permission.
    /// </summary>
    public static readonly ApiAccess ListNamespaces = new("", "namespaces", "list", ClusterScoped: true);

    /// <summary>Every permission above.</summary>
    public static IReadOnlyList<ApiAccess> All { get; } = typeof(ClusterPermissions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ApiAccess))
        .Select(f => (ApiAccess)f.GetValue(null)!)
        .ToList();
}
