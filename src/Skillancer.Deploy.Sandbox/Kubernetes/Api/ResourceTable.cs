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

    private static readonly Dictionary<ResourceType, Column[]> Columns = new()
    {
        [ResourceType.Namespaces] = [NameColumn, new("Status", "string", 0, "The status of the namespace", o => o["status"]?["phase"]?.DeepClone()), AgeColumn],
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

    private static string Containers(JsonObject obj, string field) =>
        string.Join(",", (obj["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).Select(c => c?[field]?.GetValue<string>()));

    private static JsonNode? Selector(JsonObject obj) =>
        obj["spec"]?["selector"]?["matchLabels"] is JsonObject labels ? string.Join(",", labels.Select(p => $"{p.Key}={p.Value}")) : null;
}
