using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Access;

/// <summary>
/// The RBAC objects the sandbox starts with. Cluster-wide, as on a real cluster: cluster-admin for
/// system:masters, system:discovery and system:basic-user for every authenticated user; README's
/// skillancer-deploy rules (every permission the engine's ClusterPermissions lists) and
/// skillancer-deploy-namespaces for the deployers; read-only access for the viewers. In each environment's
/// namespace: the deployment state (journal ConfigMaps, lock Leases; approval Secrets read-only) for the
/// deployers, and approvals (Secrets) and their journal entries for eng-leads.
/// </summary>
internal static class SeededRbac
{
    private const string Rbac = "rbac.authorization.k8s.io";
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["get", "list", "watch", "create", "update", "patch", "delete"];

    public const string StateRole = "skillancer-deploy-state";
    public const string ApproverRole = "skillancer-approver";

    public static void SeedCluster(ObjectStore store)
    {
        ClusterRole(store, "cluster-admin", Rule(["*"], ["*"], ["*"]), NonResource(["*"], ["*"]));
        Bind(store, "cluster-admin", "cluster-admin", SandboxUsers.MastersGroup);
        ClusterRole(store, "system:discovery", NonResource(["get"], ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/openapi", "/openapi/*", "/version", "/version/"]));
        Bind(store, "system:discovery", "system:discovery", SandboxUser.Authenticated);
        ClusterRole(
            store,
            "system:basic-user",
            Rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]),
            Rule(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"]));
        Bind(store, "system:basic-user", "system:basic-user", SandboxUser.Authenticated);

        // README's Role, bound cluster-wide so that the namespaces tests make for themselves are covered too.
        ClusterRole(
            store,
            "skillancer-deploy",
            Rule(["apps"], ["deployments"], ["get", "list", "watch", "patch", "create", "update", "delete"]),
            Rule(["apps"], ["deployments/scale"], ["patch"]),
            Rule(["apps"], ["replicasets"], ["list"]),
            Rule(["networking.istio.io"], ["virtualservices"], ["get", "update"]),
            Rule(["networking.istio.io"], ["destinationrules"], ["list"]),
            Rule(["coordination.k8s.io"], ["leases"], ["get", "create", "update"]),
            Rule([""], ["configmaps"], ["get", "list", "create", "update", "delete"]),
            Rule([""], ["secrets"], ["list"]));
        Bind(store, "skillancer-deploy", "skillancer-deploy", SandboxUsers.DeployersGroup);
        ClusterRole(store, "skillancer-deploy-namespaces", Rule([""], ["namespaces"], ["list"]));
        Bind(store, "skillancer-deploy-namespaces", "skillancer-deploy-namespaces", SandboxUsers.DeployersGroup);

        ClusterRole(
            store,
            "skillancer-viewer",
            Rule([""], ["namespaces", "pods", "events", "configmaps", "secrets"], Read),
            Rule(["apps"], ["deployments", "replicasets"], Read),
            Rule(["coordination.k8s.io"], ["leases"], Read),
            Rule(["networking.istio.io"], ["virtualservices", "destinationrules"], Read));
        Bind(store, "skillancer-viewer", "skillancer-viewer", SandboxUsers.ViewersGroup);

        ClusterRole(
            store,
            StateRole,
            Rule([""], ["configmaps"], Write),
            Rule(["coordination.k8s.io"], ["leases"], Write),
            Rule([""], ["secrets"], Read));
        // README's approver Role: approvals (Secrets) written and revoked, and their journal records.
        ClusterRole(
            store,
            ApproverRole,
            Rule([""], ["secrets"], ["list", "create", "delete"]),
            Rule([""], ["configmaps"], ["list", "create", "update", "delete"]));
    }

    /// <summary>The state and approval RoleBindings of one environment's namespace.</summary>
    public static void SeedNamespace(ObjectStore store, string ns)
    {
        RoleBinding(store, ns, StateRole, SandboxUsers.DeployersGroup);
        RoleBinding(store, ns, ApproverRole, SandboxUsers.ApproversGroup);
    }

    private static JsonObject Rule(string[] groups, string[] resources, string[] verbs) => new()
    {
        ["apiGroups"] = Array(groups),
        ["resources"] = Array(resources),
        ["verbs"] = Array(verbs),
    };

    private static JsonObject NonResource(string[] verbs, string[] urls) => new()
    {
        ["nonResourceURLs"] = Array(urls),
        ["verbs"] = Array(verbs),
    };

    private static JsonArray Array(string[] values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static void ClusterRole(ObjectStore store, string name, params JsonObject[] rules) =>
        store.Create(ResourceType.ClusterRoles, null, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" } },
            ["rules"] = new JsonArray(rules.Select(r => (JsonNode)r).ToArray()),
        });

    private static void Bind(ObjectStore store, string name, string role, string group) =>
        store.Create(ResourceType.ClusterRoleBindings, null, Binding(name, role, group));

    private static void RoleBinding(ObjectStore store, string ns, string role, string group) =>
        store.Create(ResourceType.RoleBindings, ns, Binding(role, role, group));

    private static JsonObject Binding(string name, string role, string group) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "Group", ["apiGroup"] = Rbac, ["name"] = group }),
        ["roleRef"] = new JsonObject { ["kind"] = "ClusterRole", ["apiGroup"] = Rbac, ["name"] = role },
    };
}
