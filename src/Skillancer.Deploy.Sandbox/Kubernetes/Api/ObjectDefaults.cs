using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>
/// The defaults the API server fills in on every write (apps/v1 SetDefaults_Deployment and _ReplicaSet, and
/// the pod template's through <see cref="PodSpecDefaults"/>), so that <c>kubectl describe</c> and <c>-o yaml</c>
/// show what a real cluster stores.
/// </summary>
internal static class ObjectDefaults
{
    public static void Apply(ResourceType type, JsonObject obj)
    {
        if (type == ResourceType.Secrets)
        {
            SecretData.Store(obj);
        }
        else if (type == ResourceType.Namespaces)
        {
            obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] ??= new JsonObject { ["phase"] = "Active" };
            var labels = StoredObject.Metadata(obj)["labels"] as JsonObject ?? (JsonObject)(StoredObject.Metadata(obj)["labels"] = new JsonObject());
            labels["kubernetes.io/metadata.name"] = StoredObject.Name(obj);
        }
        else if ((type == ResourceType.Deployments || type == ResourceType.ReplicaSets) && obj["spec"] is JsonObject spec)
        {
            spec["replicas"] ??= 1;
            if (type == ResourceType.Deployments)
            {
                spec["revisionHistoryLimit"] ??= 10;
                spec["progressDeadlineSeconds"] ??= 600;
                var strategy = spec["strategy"] as JsonObject ?? (JsonObject)(spec["strategy"] = new JsonObject());
                strategy["type"] ??= "RollingUpdate";
                if (strategy["type"]?.ToString() == "RollingUpdate")
                {
                    var rolling = strategy["rollingUpdate"] as JsonObject ?? (JsonObject)(strategy["rollingUpdate"] = new JsonObject());
                    rolling["maxSurge"] ??= "25%";
                    rolling["maxUnavailable"] ??= "25%";
                }
            }

            if (spec["template"]?["spec"] is JsonObject podSpec)
            {
                PodSpecDefaults.Apply(podSpec);
            }
        }
    }
}
