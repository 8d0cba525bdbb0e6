using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Patching;

/// <summary>
/// Server-side apply without field ownership: the applied configuration is merged into the live object as
/// the types' merge rules say (built-in lists with a merge key, such as containers by name, merge element by
/// element; a custom resource's lists are atomic and replaced). What a real server adds on top is not done:
/// no managedFields are recorded, so there are no conflicts between managers (force is accepted and changes
/// nothing) and a field left out of a later apply is kept rather than removed.
/// </summary>
internal static class ServerSideApply
{
    public const string MediaType = "application/apply-patch+yaml";

    public static bool Requested(string? contentType) =>
        string.Equals(contentType?.Split(';')[0].Trim(), MediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The object after applying <paramref name="applied"/> to <paramref name="live"/>.</summary>
    public static JsonObject Merge(ResourceType type, JsonObject live, JsonObject applied) =>
        type.IsCustom
            ? (JsonObject)JsonMergePatch.Apply(live, applied)!
            : StrategicMergePatch.Apply(live, applied);

    /// <summary>
    /// Checks the options and the configuration before anything is written: a field manager (422 as the API
    /// server's PatchOptions validation answers), and the kind and name of the resource on the URL.
    /// </summary>
    public static void Validate(ResourceType type, string name, string? fieldManager, JsonObject applied)
    {
        if (string.IsNullOrEmpty(fieldManager))
        {
            var status = KubeStatus.Failure(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
            status["details"] = new JsonObject
            {
                ["group"] = "meta.k8s.io",
                ["kind"] = "PatchOptions",
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueRequired", ["message"] = "Required value: is required for apply patch", ["field"] = "fieldManager" }),
            };
            throw new KubeException(status);
        }

        if (applied["kind"]?.ToString() is { } kind && kind != type.Kind)
        {
            throw new KubeException(KubeStatus.BadRequest($"the kind of the applied configuration ({kind}) does not match the resource on the URL ({type.Kind})"));
        }

        if (applied["apiVersion"]?.ToString() is { } apiVersion && apiVersion != type.ApiVersion)
        {
            throw new KubeException(KubeStatus.BadRequest($"the apiVersion of the applied configuration ({apiVersion}) does not match the resource on the URL ({type.ApiVersion})"));
        }

        var metadata = StoredObject.Metadata(applied);
        metadata["name"] ??= name;
    }
}
