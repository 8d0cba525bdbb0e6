using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Patching;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy and test), applied by ASP.NET Core's System.Text.Json implementation.</summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject original, string body, ResourceType type, string name)
    {
        JsonPatchDocument document;
        try
        {
            document = JsonSerializer.Deserialize<JsonPatchDocument>(body) ?? throw new JsonException("empty patch");
        }
        catch (JsonException e)
        {
            throw new KubeException(KubeStatus.BadRequest($"error decoding patch: {e.Message}"));
        }

        var result = (JsonObject)original.DeepClone();
        try
        {
            document.ApplyTo(result);
        }
        catch (JsonPatchException e)
        {
            throw new KubeException(KubeStatus.Failure(422, "Invalid", $"the server rejected our request due to an error in our request: {e.Message}", type, name));
        }

        return result;
    }
}
