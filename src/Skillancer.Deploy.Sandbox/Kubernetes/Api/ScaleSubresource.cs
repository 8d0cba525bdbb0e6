using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>The /scale subresource of deployments and ReplicaSets: an autoscaling/v1 Scale that reads and writes spec.replicas.</summary>
internal static class ScaleSubresource
{
    public static bool Supports(ResourceType type) => type == ResourceType.Deployments || type == ResourceType.ReplicaSets;

    public static JsonObject Of(JsonObject obj)
    {
        var metadata = StoredObject.Metadata(obj);
        var matchLabels = obj["spec"]?["selector"]?["matchLabels"] as JsonObject ?? [];
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = StoredObject.Long(obj["spec"]?["replicas"], 1) },
            ["status"] = new JsonObject
            {
                ["replicas"] = StoredObject.Long(obj["status"]?["replicas"]),
                ["selector"] = string.Join(",", matchLabels.Select(p => $"{p.Key}={p.Value}")),
            },
        };
    }

    /// <summary>Writes a Scale's replicas (and the resourceVersion it was read at) back into the object.</summary>
    public static JsonObject Apply(JsonObject obj, JsonObject scale)
    {
        var replicas = StoredObject.Long(scale["spec"]?["replicas"], -1);
        if (replicas < 0)
        {
            throw new KubeException(KubeStatus.Failure(422, "Invalid", $"Scale.autoscaling \"{StoredObject.Name(obj)}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"));
        }

        obj["spec"]!["replicas"] = replicas;
        StoredObject.Metadata(obj)["resourceVersion"] = StoredObject.ResourceVersion(scale) ?? StoredObject.ResourceVersion(obj);
        return obj;
    }
}
