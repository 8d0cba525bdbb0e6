using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>
/// The core/v1 Pod the API serves for a simulated pod: the ReplicaSet's template with the pod-template-hash
/// label, an ownerReference to the ReplicaSet, and what the scheduler and admission add to a real pod
/// (node, service account, priority, the not-ready/unreachable tolerations); its status comes from <see cref="PodStatus"/>.
/// </summary>
internal static class PodObject
{
    public static JsonObject Create(JsonObject replicaSet, SimulatedPod pod, DateTimeOffset now)
    {
        var template = replicaSet["spec"]?["template"] as JsonObject;
        var templateMetadata = template?["metadata"] as JsonObject;
        var metadata = new JsonObject
        {
            ["name"] = pod.Name,
            ["generateName"] = StoredObject.Name(replicaSet) + "-",
            ["namespace"] = StoredObject.Namespace(replicaSet),
            ["uid"] = pod.Uid,
            ["labels"] = templateMetadata?["labels"]?.DeepClone() ?? new JsonObject(),
        };
        if (templateMetadata?["annotations"] is JsonObject annotations)
        {
            metadata["annotations"] = annotations.DeepClone();
        }

        metadata["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["name"] = StoredObject.Name(replicaSet),
            ["uid"] = StoredObject.Metadata(replicaSet)["uid"]?.DeepClone(),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });

        var spec = template?["spec"]?.DeepClone() as JsonObject ?? [];
        spec["nodeName"] = PodNetwork.NodeName;
        spec["serviceAccountName"] ??= "default";
        spec["serviceAccount"] = spec["serviceAccountName"]!.DeepClone();
        spec["enableServiceLinks"] ??= true;
        spec["priority"] ??= 0;
        spec["preemptionPolicy"] ??= "PreemptLowerPriority";
        AddDefaultTolerations(spec);

        var obj = new JsonObject
        {
            ["apiVersion"] = ResourceType.Pods.ApiVersion,
            ["kind"] = ResourceType.Pods.Kind,
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
        obj["status"] = PodStatus.Of(obj, pod, now);
        return obj;
    }

    // The DefaultTolerationSeconds admission plugin: five minutes on a node that is not ready or unreachable.
    private static void AddDefaultTolerations(JsonObject spec)
    {
        var tolerations = spec["tolerations"] as JsonArray ?? (JsonArray)(spec["tolerations"] = new JsonArray());
        foreach (var key in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            if (!tolerations.OfType<JsonObject>().Any(t => t["key"]?.ToString() == key))
            {
                tolerations.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
            }
        }
    }
}
