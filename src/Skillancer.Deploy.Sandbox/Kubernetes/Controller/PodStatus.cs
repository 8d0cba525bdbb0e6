using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;
using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>
/// A simulated pod's status as the kubelet reports it: phase, the five conditions, addresses, QoS class and
/// one containerStatus per container (waiting ContainerCreating, running, or waiting CrashLoopBackOff with
/// the last termination, restart count and the kubelet's back-off message).
/// </summary>
internal static class PodStatus
{
    private static readonly string[] GuaranteedResources = ["cpu", "memory"];

    public static JsonObject Of(JsonObject pod, SimulatedPod simulated, DateTimeOffset now)
    {
        var state = simulated.Timeline.At(now);
        var created = simulated.Timeline.CreatedAt;
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var statuses = containers.Select(c => Container(c, pod, simulated, state)).ToList();
        var unready = statuses.Where(s => s["ready"]?.GetValue<bool>() != true).Select(s => s["name"]!.ToString()).ToList();
        var readyCondition = unready.Count == 0
            ? Condition("Ready", true, state.Since)
            : Condition("Ready", false, created, "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]");
        var containersReady = readyCondition.DeepClone().AsObject();
        containersReady["type"] = "ContainersReady";
        return new JsonObject
        {
            ["phase"] = state.Phase == ContainerPhase.Creating ? "Pending" : "Running",
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", true, created),
                Condition("Initialized", true, created),
                readyCondition,
                containersReady,
                Condition("PodScheduled", true, created)),
            ["hostIP"] = PodNetwork.HostIP,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = PodNetwork.HostIP }),
            ["podIP"] = simulated.IP,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = simulated.IP }),
            ["startTime"] = ObjectStore.Timestamp(created),
            ["containerStatuses"] = new JsonArray(statuses.Select(s => (JsonNode)s).ToArray()),
            ["qosClass"] = QosClass(containers),
        };
    }

    private static JsonObject Container(JsonObject container, JsonObject pod, SimulatedPod simulated, PodState state)
    {
        var name = container["name"]?.ToString() ?? "";
        var image = container["image"]?.ToString() ?? "";
        var crashes = ImageRules.Classify(image) == ImageBehaviour.Broken;
        var status = new JsonObject { ["name"] = name };
        if (state.Phase == ContainerPhase.Creating)
        {
            status["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } };
            status["lastState"] = new JsonObject();
            status["ready"] = false;
            status["restartCount"] = 0;
            status["image"] = image;
            status["imageID"] = "";
            status["started"] = false;
            return status;
        }

        if (!crashes)
        {
            status["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = ObjectStore.Timestamp(simulated.Timeline.StartAt) } };
            status["lastState"] = new JsonObject();
            status["ready"] = true;
            status["restartCount"] = 0;
            status["image"] = image;
            status["imageID"] = ImageId(image);
            status["containerID"] = ContainerId(simulated, name, 0);
            status["started"] = true;
            return status;
        }

        var running = state.Phase == ContainerPhase.Running;
        status["state"] = running
            ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = ObjectStore.Timestamp(state.StartedAt!.Value) } }
            : new JsonObject
            {
                ["waiting"] = new JsonObject
                {
                    ["reason"] = "CrashLoopBackOff",
                    ["message"] = $"back-off {GoDuration.Format(state.BackOff)} restarting failed container={name} pod={StoredObject.Name(pod)}_{StoredObject.Namespace(pod)}({simulated.Uid})",
                },
            };
        var lastRun = running ? state.Restarts - 1 : state.Restarts;
        status["lastState"] = state.LastCrash is { } crash
            ? new JsonObject
            {
                ["terminated"] = new JsonObject
                {
                    ["exitCode"] = 1,
                    ["reason"] = "Error",
                    ["startedAt"] = ObjectStore.Timestamp(crash.Started),
                    ["finishedAt"] = ObjectStore.Timestamp(crash.Finished),
                    ["containerID"] = ContainerId(simulated, name, lastRun),
                },
            }
            : new JsonObject();
        status["ready"] = false;
        status["restartCount"] = state.Restarts;
        status["image"] = image;
        status["imageID"] = ImageId(image);
        status["containerID"] = ContainerId(simulated, name, running ? state.Restarts : lastRun);
        status["started"] = running;
        return status;
    }

    private static JsonObject Condition(string type, bool status, DateTimeOffset since, string? reason = null, string? message = null)
    {
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = status ? "True" : "False",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = ObjectStore.Timestamp(since),
        };
        if (reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }

    // BestEffort without any requests or limits; Guaranteed when every container limits cpu and memory and
    // requests the same (or nothing, which then defaults to the limits); Burstable otherwise.
    private static string QosClass(IReadOnlyList<JsonObject> containers)
    {
        var resources = containers.Select(c => c["resources"] as JsonObject).ToList();
        if (resources.All(r => r?["requests"] is not JsonObject { Count: > 0 } && r?["limits"] is not JsonObject { Count: > 0 }))
        {
            return "BestEffort";
        }

        return resources.All(r => GuaranteedResources.All(k =>
            r?["limits"]?[k] is { } limit && (r["requests"]?[k] is not { } request || request.ToString() == limit.ToString())))
            ? "Guaranteed"
            : "Burstable";
    }

    // The image as the runtime resolved it: registry, repository and a digest.
    private static string ImageId(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? image[..at] : image;
        var colon = name.LastIndexOf(':');
        var repository = colon > name.LastIndexOf('/') ? name[..colon] : name;
        var first = repository.Split('/')[0];
        if (!repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "docker.io/library/" + repository;
        }
        else if (!first.Contains('.', StringComparison.Ordinal) && !first.Contains(':', StringComparison.Ordinal) && first != "localhost")
        {
            repository = "docker.io/" + repository;
        }

        return repository + "@" + (at >= 0 ? image[(at + 1)..] : "sha256:" + Hex(image));
    }

    private static string ContainerId(SimulatedPod pod, string container, int run) => "containerd://" + Hex($"{pod.Uid}/{container}/{run}");

    private static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
