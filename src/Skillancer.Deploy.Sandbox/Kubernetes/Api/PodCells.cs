using System.Globalization;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>
/// The READY, STATUS and RESTARTS cells of <c>kubectl get pods</c>, by the rules of the API server's pod
/// printer: STATUS is the phase unless a container waits or ended with a reason (ContainerCreating,
/// CrashLoopBackOff, Error), RESTARTS adds "(… ago)" from the last termination.
/// </summary>
internal static class PodCells
{
    public static string Ready(JsonObject pod)
    {
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = Statuses(pod).Count(s => s["ready"]?.GetValue<bool>() == true && s["state"]?["running"] is not null);
        return $"{ready}/{total}";
    }

    public static string Status(JsonObject pod)
    {
        var reason = pod["status"]?["reason"]?.ToString() is { Length: > 0 } podReason ? podReason : pod["status"]?["phase"]?.ToString() ?? "";
        foreach (var status in Statuses(pod).Reverse())
        {
            if (status["state"]?["waiting"]?["reason"]?.ToString() is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (status["state"]?["terminated"] is JsonObject terminated)
            {
                reason = terminated["reason"]?.ToString() is { Length: > 0 } ended ? ended
                    : StoredObject.Long(terminated["signal"]) != 0 ? $"Signal:{StoredObject.Long(terminated["signal"])}"
                    : $"ExitCode:{StoredObject.Long(terminated["exitCode"])}";
            }
        }

        return StoredObject.Metadata(pod)["deletionTimestamp"] is not null && reason is not ("Succeeded" or "Failed") ? "Terminating" : reason;
    }

    public static string Restarts(JsonObject pod)
    {
        var restarts = 0L;
        DateTimeOffset? last = null;
        foreach (var status in Statuses(pod))
        {
            restarts += StoredObject.Long(status["restartCount"]);
            if (DateTimeOffset.TryParse(status["lastState"]?["terminated"]?["finishedAt"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var finished)
                && (last is null || finished > last))
            {
                last = finished;
            }
        }

        return restarts != 0 && last is { } at
            ? $"{restarts} ({HumanDuration.Format(DateTimeOffset.UtcNow - at)} ago)"
            : restarts.ToString(CultureInfo.InvariantCulture);
    }

    public static string IP(JsonObject pod) => pod["status"]?["podIPs"]?[0]?["ip"]?.ToString() is { Length: > 0 } ip ? ip : "<none>";

    public static string Node(JsonObject pod) => pod["spec"]?["nodeName"]?.ToString() is { Length: > 0 } node ? node : "<none>";

    public static string NominatedNode(JsonObject pod) => pod["status"]?["nominatedNodeName"]?.ToString() is { Length: > 0 } node ? node : "<none>";

    public static string ReadinessGates(JsonObject pod)
    {
        var gates = (pod["spec"]?["readinessGates"] as JsonArray ?? []).OfType<JsonObject>().Select(g => g["conditionType"]?.ToString()).ToList();
        if (gates.Count == 0)
        {
            return "<none>";
        }

        var conditions = (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var met = gates.Count(g => conditions.FirstOrDefault(c => c["type"]?.ToString() == g)?["status"]?.ToString() == "True");
        return $"{met}/{gates.Count}";
    }

    private static IEnumerable<JsonObject> Statuses(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>();
}
