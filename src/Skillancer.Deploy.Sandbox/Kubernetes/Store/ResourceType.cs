namespace Skillancer.Deploy.Sandbox.Kubernetes.Store;

/// <summary>
/// A kind of object the sandbox's API serves: where it lives in the URL space and how discovery describes it.
/// A read-only type (pods) can only be got, listed and watched: the sandbox's controller owns its objects.
/// A create-only type (the self-subject reviews) is never stored: a create answers it.
/// </summary>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    bool IsCustom,
    bool HasStatus,
    bool ReadOnly = false,
    bool CreateOnly = false)
{
    /// <summary>apps/v1, or v1 for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>deployments.apps, as error messages name it.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    private const string Rbac = "rbac.authorization.k8s.io";

    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "namespace", "Namespace", false, ["ns"], false, true);
    public static readonly ResourceType Pods = new("", "v1", "pods", "pod", "Pod", true, ["po"], false, true, ReadOnly: true);
    public static readonly ResourceType Events = new("", "v1", "events", "event", "Event", true, ["ev"], false, false);
    public static readonly ResourceType Deployments = new("apps", "v1", "deployments", "deployment", "Deployment", true, ["deploy"], false, true);
    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, ["rs"], false, true);
    public static readonly ResourceType VirtualServices = new("networking.istio.io", "v1", "virtualservices", "virtualservice", "VirtualService", true, ["vs"], true, false);
    public static readonly ResourceType DestinationRules = new("networking.istio.io", "v1", "destinationrules", "destinationrule", "DestinationRule", true, ["dr"], true, false);

    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "configmap", "ConfigMap", true, ["cm"], false, false);
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "secret", "Secret", true, [], false, false);
    public static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, [], false, false);
    public static readonly ResourceType SelfSubjectReviews = new("authentication.k8s.io", "v1", "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview", false, [], false, false, CreateOnly: true);
    public static readonly ResourceType SelfSubjectAccessReviews = new("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview", false, [], false, false, CreateOnly: true);
    public static readonly ResourceType Roles = new(Rbac, "v1", "roles", "role", "Role", true, [], false, false);
    public static readonly ResourceType RoleBindings = new(Rbac, "v1", "rolebindings", "rolebinding", "RoleBinding", true, [], false, false);
    public static readonly ResourceType ClusterRoles = new(Rbac, "v1", "clusterroles", "clusterrole", "ClusterRole", false, [], false, false);
    public static readonly ResourceType ClusterRoleBindings = new(Rbac, "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, [], false, false);

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces, Pods, Events, ConfigMaps, Secrets, Deployments, ReplicaSets, Leases, SelfSubjectReviews, SelfSubjectAccessReviews,
        Roles, RoleBindings, ClusterRoles, ClusterRoleBindings, VirtualServices, DestinationRules,
    ];

    /// <summary>The types kubectl's "all" category covers (kubectl get all), as a real server lists them.</summary>
    public bool InCategoryAll => this == Pods || this == Deployments || this == ReplicaSets;

    /// <summary>The RBAC kinds, whose names are path segments (system:masters) rather than DNS names.</summary>
    public bool IsRbac => Group == Rbac;

    public static ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
}
