using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Store;

/// <summary>Reads and writes the metadata every Kubernetes object carries.</summary>
internal static class StoredObject
{
    public static JsonObject Metadata(JsonObject obj) => obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());

    public static string? Name(JsonObject obj) => Metadata(obj)["name"]?.GetValue<string>();

    public static string? Namespace(JsonObject obj) => Metadata(obj)["namespace"]?.GetValue<string>();

    public static string? ResourceVersion(JsonObject obj) => Metadata(obj)["resourceVersion"]?.GetValue<string>();

    public static long Generation(JsonObject obj) => Long(Metadata(obj)["generation"]);

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj) =>
        Metadata(obj)["labels"] is JsonObject labels
            ? labels.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>();

    public static string? Annotation(JsonObject obj, string key) => (Metadata(obj)["annotations"] as JsonObject)?[key]?.GetValue<string>();

    public static void SetAnnotation(JsonObject obj, string key, string? value)
    {
        var metadata = Metadata(obj);
        if (value is null)
        {
            (metadata["annotations"] as JsonObject)?.Remove(key);
            return;
        }

        var annotations = metadata["annotations"] as JsonObject ?? (JsonObject)(metadata["annotations"] = new JsonObject());
        annotations[key] = value;
    }

    /// <summary>A deep copy, re-parsed so that every value reads back the same way whoever built it.</summary>
    public static JsonObject Clone(JsonObject obj) => JsonNode.Parse(obj.ToJsonString())!.AsObject();

    /// <summary>An integer field, whether it was parsed or built in code; <paramref name="fallback"/> when absent.</summary>
    public static long Long(JsonNode? node, long fallback = 0) => node switch
    {
        null => fallback,
        JsonValue value when value.TryGetValue<long>(out var l) => l,
        JsonValue value when value.TryGetValue<int>(out var i) => i,
        JsonValue value when value.TryGetValue<double>(out var d) => (long)d,
        _ => fallback,
    };
}
