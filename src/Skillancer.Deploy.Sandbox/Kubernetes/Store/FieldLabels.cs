using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Store;

/// <summary>
/// The fields each type can be selected by with fieldSelector, as the API server's registry declares them
/// (metadata.name and metadata.namespace for every type; pods and events add their own, which
/// <c>kubectl describe</c> and <c>kubectl get --field-selector</c> use).
/// </summary>
internal static class FieldLabels
{
    private static readonly Dictionary<string, Func<JsonObject, string?>> Common = new(StringComparer.Ordinal)
    {
        ["metadata.name"] = StoredObject.Name,
        ["metadata.namespace"] = StoredObject.Namespace,
    };

    private static readonly Dictionary<string, Func<JsonObject, string?>> PodFields = new(StringComparer.Ordinal)
    {
        ["spec.nodeName"] = o => Text(o["spec"]?["nodeName"]),
        ["spec.restartPolicy"] = o => Text(o["spec"]?["restartPolicy"]),
        ["spec.schedulerName"] = o => Text(o["spec"]?["schedulerName"]),
        ["spec.serviceAccountName"] = o => Text(o["spec"]?["serviceAccountName"]),
        ["spec.hostNetwork"] = o => o["spec"]?["hostNetwork"]?.GetValue<bool>() == true ? "true" : "false",
        ["status.phase"] = o => Text(o["status"]?["phase"]),
        ["status.podIP"] = o => Text(o["status"]?["podIP"]),
        ["status.nominatedNodeName"] = o => Text(o["status"]?["nominatedNodeName"]),
    };

    private static readonly Dictionary<string, Func<JsonObject, string?>> EventFields = new(StringComparer.Ordinal)
    {
        ["involvedObject.kind"] = o => Text(o["involvedObject"]?["kind"]),
        ["involvedObject.namespace"] = o => Text(o["involvedObject"]?["namespace"]),
        ["involvedObject.name"] = o => Text(o["involvedObject"]?["name"]),
        ["involvedObject.uid"] = o => Text(o["involvedObject"]?["uid"]),
        ["involvedObject.apiVersion"] = o => Text(o["involvedObject"]?["apiVersion"]),
        ["involvedObject.resourceVersion"] = o => Text(o["involvedObject"]?["resourceVersion"]),
        ["involvedObject.fieldPath"] = o => Text(o["involvedObject"]?["fieldPath"]),
        ["reason"] = o => Text(o["reason"]),
        ["reportingComponent"] = o => Text(o["reportingComponent"]),
        ["source"] = o => Text(o["source"]?["component"]),
        ["type"] = o => Text(o["type"]),
    };

    /// <summary>Reads a field label's value from an object; null when the type cannot be selected by it.</summary>
    public static Func<JsonObject, string?>? Find(ResourceType type, string label)
    {
        if (Common.TryGetValue(label, out var common))
        {
            return common;
        }

        var own = type == ResourceType.Pods ? PodFields : type == ResourceType.Events ? EventFields : null;
        return own is not null && own.TryGetValue(label, out var field) ? field : null;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;
}
