namespace Skillancer.Deploy.Sandbox.Kubernetes.Store;

/// <summary>
/// A kind of object the sandbox's API serves: where it lives in the URL space and how discovery describes it.
/// A read-only type (pods) can only be got, listed and watched: the sandbox's controller owns its objects.
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
    bool ReadOnly = false)
{
    /// <summary>apps/v1, or v1 for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>deployments.apps, as error messages name it.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "namespace", "Namespace", false, ["ns"], false, true);
    public static readonly ResourceType Pods = new("", "v1", "pods", "pod", "Pod", true, ["po"], false, true, ReadOnly: true);
    public static readonly ResourceType Events = new("", "v1", "events", "event", "Event", true, ["ev"], false, false);
    public static readonly ResourceType Deployments = new("apps", "v1", "deployments", "deployment", "Deployment", true, ["deploy"], false, true);
    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, ["rs"], false, true);
    public static readonly ResourceType VirtualServices = new("networking.istio.io", "v1", "virtualservices", "virtualservice", "VirtualService", true, ["vs"], true, false);
    public static readonly ResourceType DestinationRules = new("networking.istio.io", "v1", "destinationrules", "destinationrule", "DestinationRule", true, ["dr"], true, false);

    public static IReadOnlyList<ResourceType> All { get; } = [Namespaces, Pods, Events, Deployments, ReplicaSets, VirtualServices, DestinationRules];

    public static ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
}
