using System.Globalization;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>Who reported an event: a controller, or the kubelet on a node.</summary>
internal sealed record EventSource(string Component, string? Host = null)
{
    public static EventSource DeploymentController { get; } = new("deployment-controller");

    public static EventSource ReplicaSetController { get; } = new("replicaset-controller");

    public static EventSource Kubelet { get; } = new("kubelet", PodNetwork.NodeName);
}

/// <summary>
/// Writes core/v1 Events the way client-go's event recorder does: named after the object and the moment,
/// with source and reportingComponent, and a repeat of the same event (same object, reason, message and
/// source) counted on the first one (count, lastTimestamp) instead of written again. Events expire an hour
/// after they were last seen, as the API server's event TTL makes them.
/// </summary>
internal sealed class EventRecorder(ObjectStore store)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromHours(1);

    private readonly Dictionary<string, (string Namespace, string Name, DateTimeOffset LastSeen)> _recent = new(StringComparer.Ordinal);
    private long _lastName;
    private DateTimeOffset _nextExpiry = DateTimeOffset.MinValue;

    public const string Normal = "Normal";
    public const string Warning = "Warning";

    /// <summary>Records an event about <paramref name="involved"/> (or one of its containers, by <paramref name="fieldPath"/>).</summary>
    public void Record(JsonObject involved, string type, string reason, string message, EventSource source, DateTimeOffset now, string? fieldPath = null)
    {
        Expire(now);
        var ns = StoredObject.Namespace(involved) ?? "default";
        var uid = StoredObject.Metadata(involved)["uid"]?.ToString();
        var key = string.Join('\u001f', source.Component, source.Host, uid, fieldPath, type, reason, message);
        if (_recent.TryGetValue(key, out var seen) && Count(seen.Namespace, seen.Name, now))
        {
            _recent[key] = seen with { LastSeen = now };
            return;
        }

        var name = $"{StoredObject.Name(involved)}.{NextNameSuffix(now)}";
        var reference = new JsonObject
        {
            ["kind"] = involved["kind"]?.DeepClone(),
            ["namespace"] = ns,
            ["name"] = StoredObject.Name(involved),
            ["uid"] = uid,
            ["apiVersion"] = involved["apiVersion"]?.DeepClone(),
            ["resourceVersion"] = StoredObject.ResourceVersion(involved),
        };
        if (fieldPath is not null)
        {
            reference["fieldPath"] = fieldPath;
        }

        var origin = new JsonObject { ["component"] = source.Component };
        if (source.Host is not null)
        {
            origin["host"] = source.Host;
        }

        store.Create(ResourceType.Events, ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["involvedObject"] = reference,
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = origin,
            ["firstTimestamp"] = ObjectStore.Timestamp(now),
            ["lastTimestamp"] = ObjectStore.Timestamp(now),
            ["count"] = 1,
            ["type"] = type,
            ["eventTime"] = null,
            ["reportingComponent"] = source.Component,
            ["reportingInstance"] = source.Host ?? "",
        });
        _recent[key] = (ns, name, now);
    }

    // Counts a repeat on the stored event; false when it is gone (expired, or its namespace deleted).
    private bool Count(string ns, string name, DateTimeOffset now)
    {
        try
        {
            store.Mutate(ResourceType.Events, ns, name, e =>
            {
                e["count"] = StoredObject.Long(e["count"], 1) + 1;
                e["lastTimestamp"] = ObjectStore.Timestamp(now);
                return e;
            }, WriteScope.All);
            return true;
        }
        catch (KubeException e) when (e.Code == 404)
        {
            return false;
        }
    }

    private void Expire(DateTimeOffset now)
    {
        if (now < _nextExpiry)
        {
            return;
        }

        _nextExpiry = now + TimeSpan.FromMinutes(1);
        foreach (var (key, seen) in _recent.Where(p => now - p.Value.LastSeen > TimeToLive).ToList())
        {
            _recent.Remove(key);
            try
            {
                store.Delete(ResourceType.Events, seen.Namespace, seen.Name);
            }
            catch (KubeException e) when (e.Code == 404)
            {
            }
        }
    }

    // client-go names an event "<object>.<UnixNano in hex>"; kept increasing so that two events in one tick differ.
    private string NextNameSuffix(DateTimeOffset now)
    {
        var nanos = (now.ToUniversalTime() - DateTimeOffset.UnixEpoch).Ticks * 100;
        _lastName = Math.Max(nanos, _lastName + 1);
        return _lastName.ToString("x", CultureInfo.InvariantCulture);
    }
}
