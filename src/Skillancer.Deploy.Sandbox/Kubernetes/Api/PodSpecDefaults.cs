using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>
/// The API server's defaults for a pod template's spec (Kubernetes' core/v1 SetDefaults_PodSpec and what it
/// reaches): dnsPolicy, restartPolicy, schedulerName, securityContext and terminationGracePeriodSeconds on the
/// pod; imagePullPolicy (Always for :latest or no tag, else IfNotPresent), terminationMessagePath and -Policy on
/// each container; protocol TCP on ports; timeoutSeconds 1, periodSeconds 10, successThreshold 1 and
/// failureThreshold 3 on probes; path / and scheme HTTP on httpGet; apiVersion v1 on fieldRefs; defaultMode
/// 420 on secret, configMap, downwardAPI and projected volumes, and emptyDir for a volume with no source.
/// </summary>
internal static class PodSpecDefaults
{
    private static readonly string[] ContainerLists = ["initContainers", "containers", "ephemeralContainers"];
    private static readonly string[] Probes = ["livenessProbe", "readinessProbe", "startupProbe"];
    private static readonly string[] LifecycleHooks = ["postStart", "preStop"];
    private static readonly string[] ModedVolumes = ["secret", "configMap", "downwardAPI", "projected"];

    public static void Apply(JsonObject spec)
    {
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["securityContext"] ??= new JsonObject();
        spec["schedulerName"] ??= "default-scheduler";
        foreach (var list in ContainerLists)
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                Container(container, spec["hostNetwork"]?.GetValue<bool>() == true);
            }
        }

        foreach (var volume in (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Volume(volume);
        }
    }

    private static void Container(JsonObject container, bool hostNetwork)
    {
        container["imagePullPolicy"] ??= PullPolicy(container["image"]?.ToString() ?? "");
        container["terminationMessagePath"] ??= "/dev/termination-log";
        container["terminationMessagePolicy"] ??= "File";
        container["resources"] ??= new JsonObject();
        foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            if (hostNetwork)
            {
                port["hostPort"] ??= port["containerPort"]?.DeepClone();
            }
        }

        foreach (var probe in Probes.Select(p => container[p]).OfType<JsonObject>())
        {
            Unset(probe, "timeoutSeconds", 1);
            Unset(probe, "periodSeconds", 10);
            Unset(probe, "successThreshold", 1);
            Unset(probe, "failureThreshold", 3);
            Handler(probe);
        }

        foreach (var hook in LifecycleHooks.Select(h => container["lifecycle"]?[h]).OfType<JsonObject>())
        {
            Handler(hook);
        }

        foreach (var variable in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (variable["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                fieldRef["apiVersion"] ??= "v1";
            }
        }
    }

    private static void Handler(JsonObject handler)
    {
        if (handler["httpGet"] is JsonObject httpGet)
        {
            httpGet["path"] ??= "/";
            httpGet["scheme"] ??= "HTTP";
        }

        if (handler["grpc"] is JsonObject grpc)
        {
            grpc["service"] ??= "";
        }
    }

    private static void Volume(JsonObject volume)
    {
        if (volume.All(p => p.Key == "name"))
        {
            volume["emptyDir"] = new JsonObject();
        }

        foreach (var source in ModedVolumes.Select(v => volume[v]).OfType<JsonObject>())
        {
            source["defaultMode"] ??= 420;
        }

        if (volume["hostPath"] is JsonObject hostPath)
        {
            hostPath["type"] ??= "";
        }
    }

    // A probe's numbers are plain int32 fields: zero means unset, as a missing one does.
    private static void Unset(JsonObject probe, string field, int value)
    {
        if (StoredObject.Long(probe[field]) == 0)
        {
            probe[field] = value;
        }
    }

    // Always for an image whose tag is latest, or that has neither tag nor digest (which means latest).
    private static string PullPolicy(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? image[..at] : image;
        var colon = name.LastIndexOf(':');
        var tag = colon > name.LastIndexOf('/') ? name[(colon + 1)..] : at >= 0 ? "" : "latest";
        return tag == "latest" ? "Always" : "IfNotPresent";
    }
}
