using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>
/// Server-side printing: the meta.k8s.io/v1 Table that kubectl asks for (Accept: ...;as=Table), with the
/// columns a real API server prints for each type.
/// </summary>
internal static class ResourceTable
{
    private sealed record Column(string Name, string Type, int Priority, string Description, Func<JsonObject, JsonNode?> Cell, string Format = "");

    private static readonly Column NameColumn = new("Name", "string", 0, "Name must be unique within a namespace.", o => StoredObject.Name(o), "name");
    private static readonly Column AgeColumn = new("Age", "string", 0, "CreationTimestamp is a timestamp representing the server time when this object was created.", o => HumanDuration.Since(StoredObject.Metadata(o)["creationTimestamp"]?.GetValue<string>()));

    private static readonly Column CreatedAtColumn = new("Created At", "date", 0, "CreationTimestamp is a timestamp representing the server time when this object was created.", o => StoredObject.Metadata(o)["creationTimestamp"]?.DeepClone());

    private static readonly Column[] BindingColumns =
    [
        NameColumn,
        new("Role", "string", 0, "RoleRef is the reference to the role the binding grants.", o => $"{o["roleRef"]?["kind"]}/{o["roleRef"]?["name"]}"),
        AgeColumn,
        new("Users", "string", 1, "Users in the binding.", o => Subjects(o, "User")),
        new("Groups", "string", 1, "Groups in the binding.", o => Subjects(o, "Group")),
        new("ServiceAccounts", "string", 1, "ServiceAccounts in the binding.", o => Subjects(o, "ServiceAccount")),
    ];

    private static readonly Dictionary<ResourceType, Column[]> Columns = new()
    {
        [ResourceType.Namespaces] = [NameColumn, new("Status", "string", 0, "The status of the namespace", o => o["status"]?["phase"]?.DeepClone()), AgeColumn],
        [ResourceType.Pods] =
        [
            NameColumn,
            new("Ready", "string", 0, "The aggregate readiness state of this pod for accepting traffic.", o => PodCells.Ready(o)),
            new("Status", "string", 0, "The aggregate status of the containers in this pod.", o => PodCells.Status(o)),
            new("Restarts", "string", 0, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.", o => PodCells.Restarts(o)),
            AgeColumn,
            new("IP", "string", 1, "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", o => PodCells.IP(o)),
            new("Node", "string", 1, "NodeName indicates in which node this pod is scheduled.", o => PodCells.Node(o)),
            new("Nominated Node", "string", 1, "nominatedNodeName is set only when this pod preempts other pods on the node.", o => PodCells.NominatedNode(o)),
            new("Readiness Gates", "string", 1, "If specified, all readiness gates will be evaluated for pod readiness.", o => PodCells.ReadinessGates(o)),
        ],
        [ResourceType.Events] =
        [
            new("Last Seen", "string", 0, "The time at which the most recent occurrence of this event was recorded.", o => EventCells.LastSeen(o)),
            new("Type", "string", 0, "Type of this event (Normal, Warning), new types could be added in the future", o => o["type"]?.DeepClone()),
            new("Reason", "string", 0, "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.", o => o["reason"]?.DeepClone()),
            new("Object", "string", 0, "The object that this event is about.", o => EventCells.Object(o)),
            new("Subobject", "string", 1, "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].", o => o["involvedObject"]?["fieldPath"]?.DeepClone() ?? ""),
            new("Source", "string", 1, "The component reporting this event. Should be a short machine understandable string.", o => EventCells.Source(o)),
            new("Message", "string", 0, "A human-readable description of the status of this operation.", o => o["message"]?.ToString().Trim()),
            new("First Seen", "string", 1, "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", o => EventCells.FirstSeen(o)),
            new("Count", "string", 1, "The number of times this event has occurred.", o => EventCells.Count(o)),
            new("Name", "string", 1, "Name must be unique within a namespace.", o => StoredObject.Name(o), "name"),
        ],
        [ResourceType.Deployments] =
        [
            NameColumn,
            new("Ready", "string", 0, "Number of the pod with ready state", o => $"{Int(o, "status", "readyReplicas")}/{Int(o, "spec", "replicas", 1)}"),
            new("Up-to-date", "integer", 0, "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", o => Int(o, "status", "updatedReplicas")),
            new("Available", "integer", 0, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", o => Int(o, "status", "availableReplicas")),
            AgeColumn,
            new("Containers", "string", 1, "Names of each container in the template.", o => Containers(o, "name")),
            new("Images", "string", 1, "Images referenced by each container in the template.", o => Containers(o, "image")),
            new("Selector", "string", 1, "Label selector for pods.", Selector),
        ],
        [ResourceType.ReplicaSets] =
        [
            NameColumn,
            new("Desired", "integer", 0, "Number of desired pods.", o => Int(o, "spec", "replicas", 1)),
            new("Current", "integer", 0, "Number of actual replicas.", o => Int(o, "status", "replicas")),
            new("Ready", "integer", 0, "The number of ready replicas for this replica set.", o => Int(o, "status", "readyReplicas")),
            AgeColumn,
            new("Containers", "string", 1, "Names of each container in the template.", o => Containers(o, "name")),
            new("Images", "string", 1, "Images referenced by each container in the template.", o => Containers(o, "image")),
            new("Selector", "string", 1, "Label selector for pods.", Selector),
        ],
        [ResourceType.ConfigMaps] = [NameColumn, new("Data", "string", 0, "Number of data items in the ConfigMap.", o => Count(o, "data") + Count(o, "binaryData")), AgeColumn],
        [ResourceType.Secrets] =
        [
            NameColumn,
            new("Type", "string", 0, "Used to facilitate programmatic handling of secret data.", o => o["type"]?.DeepClone()),
            new("Data", "string", 0, "Number of data items in the Secret.", o => Count(o, "data")),
            AgeColumn,
        ],
        [ResourceType.Leases] = [NameColumn, new("Holder", "string", 0, "The holder of the lease.", o => o["spec"]?["holderIdentity"]?.DeepClone() ?? ""), AgeColumn],
        [ResourceType.Roles] = [NameColumn, CreatedAtColumn],
        [ResourceType.ClusterRoles] = [NameColumn, CreatedAtColumn],
        [ResourceType.RoleBindings] = BindingColumns,
        [ResourceType.ClusterRoleBindings] = BindingColumns,
        [ResourceType.VirtualServices] =
        [
            NameColumn,
            new("Gateways", "string", 0, "The names of gateways and sidecars that should apply these routes", o => o["spec"]?["gateways"]?.ToJsonString()),
            new("Hosts", "string", 0, "The destination hosts to which traffic is being sent", o => o["spec"]?["hosts"]?.ToJsonString()),
            AgeColumn,
        ],
        [ResourceType.DestinationRules] =
        [
            NameColumn,
            new("Host", "string", 0, "The name of a service from the service registry", o => o["spec"]?["host"]?.DeepClone()),
            AgeColumn,
        ],
    };

    /// <summary>True when the Accept header asks for a Table.</summary>
    public static bool Requested(string? accept) => accept?.Contains("as=Table", StringComparison.Ordinal) == true;

    public static JsonObject Build(ResourceType type, IEnumerable<JsonObject> objects, long resourceVersion, string? includeObject)
    {
        var columns = Columns[type];
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(columns.Select(c => c.Cell(obj)).ToArray()) };
            if (includeObject != "None")
            {
                row["object"] = includeObject == "Object" ? obj.DeepClone() : new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = StoredObject.Metadata(obj).DeepClone(),
                };
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            }).ToArray()),
            ["rows"] = rows,
        };
    }

    private static long Int(JsonObject obj, string section, string field, long fallback = 0) =>
        StoredObject.Long(obj[section]?[field], fallback);

    private static long Count(JsonObject obj, string field) => (obj[field] as JsonObject)?.Count ?? 0;

    private static string Subjects(JsonObject obj, string kind) =>
        string.Join(", ", (obj["subjects"] as JsonArray ?? []).Where(s => s?["kind"]?.ToString() == kind)
            .Select(s => kind == "ServiceAccount" ? $"{s?["namespace"]}/{s?["name"]}" : s?["name"]?.ToString()));

    private static string Containers(JsonObject obj, string field) =>
        string.Join(",", (obj["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).Select(c => c?[field]?.GetValue<string>()));

    private static JsonNode? Selector(JsonObject obj) =>
        obj["spec"]?["selector"]?["matchLabels"] is JsonObject labels ? string.Join(",", labels.Select(p => $"{p.Key}={p.Value}")) : null;
}
