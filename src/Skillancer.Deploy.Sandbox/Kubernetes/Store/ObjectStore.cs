using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Store;

/// <summary>
/// One versioned store of every object, in the manner of client-go's ObjectTracker: a single
/// increasing resourceVersion, and a change log that feeds watches and lets them resume. Events older
/// than the log's window are compacted: a watch from before them gets 410 Gone.
/// </summary>
internal sealed class ObjectStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(ResourceType Type, string? Namespace, string Name), JsonObject> _objects = [];
    private readonly LinkedList<WatchEvent> _log = new();
    private readonly List<Channel<WatchEvent>> _subscribers = [];
    private readonly int _logCapacity;
    private long _resourceVersion;
    private long _compactedThrough;

    // Pods and events share the log with deployments, so it holds about four times what deployments alone write.
    public ObjectStore(int logCapacity = 20000) => _logCapacity = logCapacity;

    /// <summary>Raised (outside the lock) after every change, for the deployment controller.</summary>
    public event Action<WatchEvent>? Changed;

    public long CurrentVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue((type, ns, name), out var found) ? StoredObject.Clone(found) : null;
        }
    }

    /// <summary>Every object of a type (in one namespace, or all when <paramref name="ns"/> is null), and the version the list is consistent with.</summary>
    public (IReadOnlyList<JsonObject> Items, long Version) List(ResourceType type, string? ns)
    {
        lock (_gate)
        {
            return (ListLocked(type, ns), _resourceVersion);
        }
    }

    /// <summary>
    /// Stores a new object, stamping creationTimestamp, generation, resourceVersion and a uid (unless the
    /// controller chose one: the API's create path removes any a client sends).
    /// </summary>
    public JsonObject Create(ResourceType type, string? ns, JsonObject obj, bool dryRun = false)
    {
        WatchEvent change;
        lock (_gate)
        {
            var name = StoredObject.Name(obj)!;
            if (_objects.ContainsKey((type, ns, name)))
            {
                throw new KubeException(KubeStatus.AlreadyExists(type, name));
            }

            var metadata = StoredObject.Metadata(obj);
            metadata["uid"] = metadata["uid"]?.GetValue<string>() is { Length: > 0 } chosen ? chosen : Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Now();
            metadata["generation"] = 1L;
            if (ns is not null)
            {
                metadata["namespace"] = ns;
            }

            obj["apiVersion"] = type.ApiVersion;
            obj["kind"] = type.Kind;
            if (dryRun)
            {
                return StoredObject.Clone(obj);
            }

            change = Commit("ADDED", type, ns, name, obj);
        }

        Publish(change);
        return StoredObject.Clone(change.Object);
    }

    /// <summary>Replaces an object; a resourceVersion in it that is not the current one is a conflict.</summary>
    public JsonObject Update(ResourceType type, string? ns, JsonObject obj, WriteScope scope = WriteScope.Object, bool dryRun = false) =>
        Mutate(type, ns, StoredObject.Name(obj)!, _ => obj, scope, dryRun);

    /// <summary>
    /// Changes an object atomically: <paramref name="change"/> gets a copy of the stored object and returns
    /// the new one. A resourceVersion in the result that differs from the stored one is a conflict (the
    /// precondition of an update or a patch that names one); a changed spec bumps the generation; a change
    /// that changes nothing writes nothing, as the API server does.
    /// </summary>
    public JsonObject Mutate(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> change, WriteScope scope = WriteScope.Object, bool dryRun = false)
    {
        WatchEvent written;
        lock (_gate)
        {
            if (!_objects.TryGetValue((type, ns, name), out var current))
            {
                throw new KubeException(KubeStatus.NotFound(type, name));
            }

            var obj = change(StoredObject.Clone(current));
            var expected = StoredObject.ResourceVersion(obj);
            if (!string.IsNullOrEmpty(expected) && expected != StoredObject.ResourceVersion(current))
            {
                throw new KubeException(KubeStatus.Conflict(type, name));
            }

            if (StoredObject.Name(obj) != name)
            {
                throw new KubeException(KubeStatus.BadRequest($"the name of the object ({StoredObject.Name(obj)}) does not match the name on the URL ({name})"));
            }

            KeepSystemFields(current, obj);
            if (scope == WriteScope.Object && type.HasStatus)
            {
                Keep(current, obj, "status");
            }
            else if (scope == WriteScope.Status)
            {
                Keep(current, obj, "spec");
            }

            var specChanged = !JsonNode.DeepEquals(current["spec"], obj["spec"]);
            StoredObject.Metadata(obj)["generation"] = StoredObject.Generation(current) + (specChanged ? 1 : 0);
            obj["apiVersion"] = type.ApiVersion;
            obj["kind"] = type.Kind;
            StoredObject.Metadata(obj)["resourceVersion"] = StoredObject.ResourceVersion(current);
            if (JsonNode.DeepEquals(current, obj) || dryRun)
            {
                return StoredObject.Clone(dryRun ? obj : current);
            }

            written = Commit("MODIFIED", type, ns, name, obj);
        }

        Publish(written);
        return StoredObject.Clone(written.Object);
    }

    /// <summary>Deletes a namespace and every object in it, as the namespace controller finishes a namespace's deletion.</summary>
    public JsonObject DeleteNamespace(string name)
    {
        foreach (var type in ResourceType.All.Where(t => t.Namespaced))
        {
            foreach (var item in List(type, name).Items)
            {
                // The controllers run meanwhile: an orphaned ReplicaSet may be gone before we reach it.
                DeleteIfPresent(type, name, StoredObject.Name(item)!);
            }
        }

        return Delete(ResourceType.Namespaces, null, name);
    }

    /// <summary>Deletes the object if it still exists; false when someone deleted it first.</summary>
    public bool DeleteIfPresent(ResourceType type, string? ns, string name)
    {
        try
        {
            Delete(type, ns, name);
            return true;
        }
        catch (KubeException e) when (e.Code == 404)
        {
            return false;
        }
    }

    public JsonObject Delete(ResourceType type, string? ns, string name, bool dryRun = false)
    {
        WatchEvent change;
        lock (_gate)
        {
            if (!_objects.TryGetValue((type, ns, name), out var current))
            {
                throw new KubeException(KubeStatus.NotFound(type, name));
            }

            if (dryRun)
            {
                return StoredObject.Clone(current);
            }

            _objects.Remove((type, ns, name));
            _resourceVersion++;
            StoredObject.Metadata(current)["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
            change = Log(new WatchEvent(_resourceVersion, "DELETED", type, ns, current));
        }

        Publish(change);
        return StoredObject.Clone(change.Object);
    }

    /// <summary>
    /// Starts a watch. With a <paramref name="fromVersion"/>, it replays the logged events after it and
    /// then follows new ones; without, it starts with an ADDED event for every object that exists. Null
    /// when <paramref name="fromVersion"/> is older than the log: the caller answers 410 Gone.
    /// </summary>
    public WatchSubscription? Watch(long? fromVersion)
    {
        lock (_gate)
        {
            IReadOnlyList<WatchEvent> initial;
            if (fromVersion is { } from)
            {
                if (from < _compactedThrough || from > _resourceVersion)
                {
                    return from > _resourceVersion ? Subscribe([], _resourceVersion) : null;
                }

                initial = _log.Where(e => e.ResourceVersion > from).ToList();
            }
            else
            {
                initial = _objects
                    .OrderBy(e => long.Parse(StoredObject.ResourceVersion(e.Value)!, CultureInfo.InvariantCulture))
                    .Select(e => new WatchEvent(long.Parse(StoredObject.ResourceVersion(e.Value)!, CultureInfo.InvariantCulture), "ADDED", e.Key.Type, e.Key.Namespace, StoredObject.Clone(e.Value)))
                    .ToList();
            }

            return Subscribe(initial, _resourceVersion);
        }
    }

    /// <summary>The oldest version a watch can still resume from; watches from before it get 410 Gone.</summary>
    public long CompactedThrough
    {
        get
        {
            lock (_gate)
            {
                return _compactedThrough;
            }
        }
    }

    /// <summary>Drops the whole change log, as etcd's compaction does: a watch can resume only from now on.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _log.Clear();
            _compactedThrough = _resourceVersion;
        }
    }

    private WatchSubscription Subscribe(IReadOnlyList<WatchEvent> initial, long version)
    {
        var channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        _subscribers.Add(channel);
        return new WatchSubscription(initial, channel.Reader, version, () =>
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }

            channel.Writer.TryComplete();
        });
    }

    private List<JsonObject> ListLocked(ResourceType type, string? ns) =>
        _objects
            .Where(e => e.Key.Type == type && (ns is null || e.Key.Namespace == ns))
            .OrderBy(e => e.Key.Namespace, StringComparer.Ordinal).ThenBy(e => e.Key.Name, StringComparer.Ordinal)
            .Select(e => StoredObject.Clone(e.Value))
            .ToList();

    private static void KeepSystemFields(JsonObject current, JsonObject obj)
    {
        var metadata = StoredObject.Metadata(obj);
        var stored = StoredObject.Metadata(current);
        foreach (var kept in new[] { "uid", "creationTimestamp", "namespace", "generation" })
        {
            metadata[kept] = stored[kept]?.DeepClone();
        }
    }

    private static void Keep(JsonObject current, JsonObject obj, string field)
    {
        obj.Remove(field);
        if (current[field] is { } value)
        {
            obj[field] = value.DeepClone();
        }
    }

    private WatchEvent Commit(string type, ResourceType resource, string? ns, string name, JsonObject obj)
    {
        _resourceVersion++;
        StoredObject.Metadata(obj)["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        _objects[(resource, ns, name)] = StoredObject.Clone(obj);
        return Log(new WatchEvent(_resourceVersion, type, resource, ns, StoredObject.Clone(obj)));
    }

    private WatchEvent Log(WatchEvent change)
    {
        _log.AddLast(change);
        while (_log.Count > _logCapacity)
        {
            _compactedThrough = _log.First!.Value.ResourceVersion;
            _log.RemoveFirst();
        }

        foreach (var subscriber in _subscribers)
        {
            subscriber.Writer.TryWrite(change);
        }

        return change;
    }

    private void Publish(WatchEvent change) => Changed?.Invoke(change);

    public static string Now() => Timestamp(DateTimeOffset.UtcNow);

    /// <summary>A moment as the API writes it: RFC 3339 in UTC, whole seconds.</summary>
    public static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

/// <summary>An open watch on the store: the events to send first, then the live ones, until disposed.</summary>
internal sealed class WatchSubscription(IReadOnlyList<WatchEvent> initial, ChannelReader<WatchEvent> live, long version, Action stop) : IDisposable
{
    public IReadOnlyList<WatchEvent> Initial { get; } = initial;

    public ChannelReader<WatchEvent> Live { get; } = live;

    /// <summary>The store's resourceVersion when the watch began.</summary>
    public long Version { get; } = version;

    public void Dispose() => stop();
}
