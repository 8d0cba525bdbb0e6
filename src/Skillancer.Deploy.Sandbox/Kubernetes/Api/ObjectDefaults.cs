using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>The defaults the API server fills in on write, for the fields the controller and kubectl read.</summary>
internal static class ObjectDefaults
{
    public static void Apply(ResourceType type, JsonObject obj)
    {
        if (type == ResourceType.Namespaces)
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

            foreach (var container in spec["template"]?["spec"]?["containers"] as JsonArray ?? [])
            {
                if (container is JsonObject c)
                {
                    c["imagePullPolicy"] ??= c["image"]?.ToString().EndsWith(":latest", StringComparison.Ordinal) == true ? "Always" : "IfNotPresent";
                    c["terminationMessagePath"] ??= "/dev/termination-log";
                    c["terminationMessagePolicy"] ??= "File";
                    c["resources"] ??= new JsonObject();
                }
            }

            if (spec["template"]?["spec"] is JsonObject podSpec)
            {
                podSpec["restartPolicy"] ??= "Always";
                podSpec["terminationGracePeriodSeconds"] ??= 30;
                podSpec["dnsPolicy"] ??= "ClusterFirst";
                podSpec["schedulerName"] ??= "default-scheduler";
                podSpec["securityContext"] ??= new JsonObject();
            }
        }
    }
}
