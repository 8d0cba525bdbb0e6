using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Patching;

/// <summary>
/// RFC 6902 JSON patch (add, remove, replace, move, copy and test), applied by ASP.NET Core's System.Text.Json
/// implementation; an operation that does not apply is a 422 that says why (<see cref="JsonPatchFailure"/>).
/// </summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject original, string body)
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
            var operation = e.FailedOperation;
            var reason = operation is null
                ? e.Message
                : JsonPatchFailure.Describe(result, operation.op, operation.path, operation.from, operation.value is null ? null : JsonSerializer.SerializeToNode(operation.value));
            throw new KubeException(KubeStatus.PatchNotApplied(reason));
        }

        return result;
    }
}
