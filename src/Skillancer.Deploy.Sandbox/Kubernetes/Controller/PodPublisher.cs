using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>
/// Keeps the store's Pod objects in step with the simulated pods: creates a Pod when the ReplicaSet gets a
/// pod, rewrites its status when what the kubelet would report changes, and deletes it when the ReplicaSet
/// scales down or goes away, recording the replica-set controller's SuccessfulCreate and SuccessfulDelete
/// events and the kubelet's BackOff warning as a real cluster does.
/// </summary>
internal sealed class PodPublisher(ObjectStore store, EventRecorder events)
{
    private readonly Dictionary<string, Published> _published = new(StringComparer.Ordinal); // by pod uid

    public void Sync(IEnumerable<(JsonObject ReplicaSet, SimulatedPods Pods)> replicaSets, DateTimeOffset now)
    {
        var owners = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (rs, pods) in replicaSets)
        {
            owners[DeploymentController.Uid(rs)] = rs;
            foreach (var pod in pods.All)
            {
                seen.Add(pod.Uid);
                var state = pod.Timeline.At(now);
                if (!_published.TryGetValue(pod.Uid, out var published))
                {
                    var created = store.Create(ResourceType.Pods, StoredObject.Namespace(rs), PodObject.Create(rs, pod, now));
                    _published[pod.Uid] = new Published(StoredObject.Namespace(rs)!, pod.Name, DeploymentController.Uid(rs), state.Key);
                    events.Record(rs, EventRecorder.Normal, "SuccessfulCreate", $"Created pod: {pod.Name}", EventSource.ReplicaSetController, now);
                    RecordBackOff(created, pod, state, now);
                }
                else if (published.Key != state.Key && Update(published, pod, now) is { } updated)
                {
                    published.Key = state.Key;
                    RecordBackOff(updated, pod, state, now);
                }
            }
        }

        foreach (var (uid, gone) in _published.Where(p => !seen.Contains(p.Key)).ToList())
        {
            _published.Remove(uid);
            try
            {
                store.Delete(ResourceType.Pods, gone.Namespace, gone.Name);
            }
            catch (KubeException e) when (e.Code == 404)
            {
                continue; // its namespace was deleted with everything in it
            }

            if (owners.TryGetValue(gone.ReplicaSetUid, out var owner))
            {
                events.Record(owner, EventRecorder.Normal, "SuccessfulDelete", $"Deleted pod: {gone.Name}", EventSource.ReplicaSetController, now);
            }
        }
    }

    private JsonObject? Update(Published published, SimulatedPod pod, DateTimeOffset now)
    {
        try
        {
            return store.Mutate(ResourceType.Pods, published.Namespace, published.Name, current =>
            {
                current["status"] = PodStatus.Of(current, pod, now);
                return current;
            }, WriteScope.All);
        }
        catch (KubeException e) when (e.Code == 404)
        {
            return null; // deleted with its namespace; the next pass no longer sees its ReplicaSet
        }
    }

    // The kubelet's warning each time a crashed container waits to be restarted.
    private void RecordBackOff(JsonObject pod, SimulatedPod simulated, PodState state, DateTimeOffset now)
    {
        if (state.Phase != ContainerPhase.BackOff)
        {
            return;
        }

        foreach (var container in (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => c["state"]?["waiting"]?["reason"]?.ToString() == "CrashLoopBackOff"))
        {
            var name = container["name"]!.ToString();
            events.Record(pod, EventRecorder.Warning, "BackOff",
                $"Back-off restarting failed container {name} in pod {simulated.Name}_{StoredObject.Namespace(pod)}({simulated.Uid})",
                EventSource.Kubelet, now, $"spec.containers{{{name}}}");
        }
    }

    private sealed class Published(string ns, string name, string replicaSetUid, string key)
    {
        public string Namespace { get; } = ns;

        public string Name { get; } = name;

        public string ReplicaSetUid { get; } = replicaSetUid;

        public string Key { get; set; } = key;
    }
}
