using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>The cells of <c>kubectl get events</c>, by the rules of the API server's event printer.</summary>
internal static class EventCells
{
    public static string LastSeen(JsonObject e) =>
        e["series"]?["lastObservedTime"]?.ToString() is { Length: > 0 } observed ? Since(observed)
        : e["lastTimestamp"]?.ToString() is { Length: > 0 } last ? Since(last)
        : FirstSeen(e);

    public static string FirstSeen(JsonObject e) =>
        e["firstTimestamp"]?.ToString() is { Length: > 0 } first ? Since(first) : Since(e["eventTime"]?.ToString());

    public static string Object(JsonObject e)
    {
        var kind = e["involvedObject"]?["kind"]?.ToString()?.ToLowerInvariant() ?? "";
        return e["involvedObject"]?["name"]?.ToString() is { Length: > 0 } name ? $"{kind}/{name}" : kind;
    }

    public static string Source(JsonObject e)
    {
        var component = First(e["source"]?["component"], e["reportingComponent"]);
        var instance = First(e["source"]?["host"], e["reportingInstance"]);
        return instance.Length == 0 ? component : $"{component}, {instance}";
    }

    public static long Count(JsonObject e) =>
        e["series"] is JsonObject series ? StoredObject.Long(series["count"]) : Math.Max(1, StoredObject.Long(e["count"]));

    private static string Since(string? timestamp) => HumanDuration.Since(timestamp);

    private static string First(JsonNode? a, JsonNode? b) =>
        a?.ToString() is { Length: > 0 } first ? first : b?.ToString() ?? "";
}
