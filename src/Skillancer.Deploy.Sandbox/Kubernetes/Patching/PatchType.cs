using System.Text.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Patching;

/// <summary>Chooses the patch algorithm from the request's Content-Type, as the API server does.</summary>
internal static class PatchType
{
    public const string Strategic = "application/strategic-merge-patch+json";
    public const string Merge = "application/merge-patch+json";
    public const string Json = "application/json-patch+json";

    /// <summary>Applies <paramref name="body"/> to <paramref name="original"/>; 415 for a type the resource does not accept.</summary>
    public static JsonObject Apply(string? contentType, JsonObject original, string body, ResourceType type)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        return mediaType switch
        {
            Json => JsonPatch.Apply(original, body),
            Merge => JsonMergePatch.Apply(original, ParseObject(body)) as JsonObject ?? throw new KubeException(KubeStatus.BadRequest("a merge patch must be a JSON object")),
            Strategic when !type.IsCustom => StrategicMergePatch.Apply(original, ParseObject(body)),
            _ => throw new KubeException(KubeStatus.UnsupportedMediaType(type)),
        };
    }

    private static JsonObject ParseObject(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new KubeException(KubeStatus.BadRequest("the patch must be a JSON object"));
        }
        catch (JsonException e)
        {
            throw new KubeException(KubeStatus.BadRequest($"error decoding patch: {e.Message}"));
        }
    }
}
