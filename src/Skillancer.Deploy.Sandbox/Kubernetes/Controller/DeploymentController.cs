using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>
/// The deployment and replica-set controllers, on simulated pods. One ReplicaSet per pod template, named
/// by the template's hash; revisions, rollbacks and change-causes as the real controller records them; a
/// rolling update within maxSurge and maxUnavailable, one step per <see cref="Step"/>; status and
/// conditions with the real reasons, including ProgressDeadlineExceeded; the pods served as read-only Pod
/// objects, and the controllers' and kubelet's Events.
/// </summary>
internal sealed class DeploymentController : IAsyncDisposable
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    private const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    private const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

    // The annotations that stay on the deployment and are not copied to its ReplicaSets (the controller's skip list).
    private static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration", RevisionAnnotation, RevisionHistoryAnnotation,
        DesiredReplicasAnnotation, MaxReplicasAnnotation, "deprecated.deployment.rollback.to",
    };

    // ReplicaSetStatus fields with omitempty: a zero is left out, as the API server serialises it.
    private static readonly string[] OmittedWhenZero = ["fullyLabeledReplicas", "readyReplicas", "availableReplicas"];

    private readonly ObjectStore _store;
    private readonly PodNetwork _network = new();
    private readonly PodPublisher _publisher;
    private readonly Dictionary<string, SimulatedPods> _pods = []; // by ReplicaSet uid
    private readonly Dictionary<string, DateTimeOffset> _progressAt = []; // by Deployment uid: the last progress, to the tick
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Namespace, string Name), DateTimeOffset> _completedAt = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public DeploymentController(ObjectStore store, TimeSpan step)
    {
        _store = store;
        Step = step;
        Events = new EventRecorder(store);
        _publisher = new PodPublisher(store, Events);
        _store.Changed += e =>
        {
            if (e.Resource == ResourceType.Deployments || e.Resource == ResourceType.ReplicaSets)
            {
                _wake.Writer.TryWrite(true);
            }
        };
    }

    /// <summary>How long a new pod takes to become ready: the pace of a rollout.</summary>
    public TimeSpan Step { get; }

    /// <summary>Where the controllers and the kubelet record their Events.</summary>
    internal EventRecorder Events { get; }

    /// <summary>The running pods after the latest reconciliation.</summary>
    public ClusterSnapshot Snapshot { get; private set; } = ClusterSnapshot.Empty;

    /// <summary>Raised after every reconciliation that changed the running pods.</summary>
    public event Action<ClusterSnapshot>? SnapshotChanged;

    /// <summary>Brings every deployment to its desired state at once, with pods ready immediately: the scenario's starting point.</summary>
    public void Settle()
    {
        for (var pass = 0; pass < 10; pass++)
        {
            ReconcileAll(TimeSpan.Zero);
        }
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            DateTimeOffset? due = null;
            try
            {
                due = ReconcileAll(Step);
            }
            catch (KubeException)
            {
                // A write raced a client's: the next pass sees the new state.
                due = DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(20);
            }

            var wait = (due ?? DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1)) - DateTimeOffset.UtcNow;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait);
            try
            {
                await _wake.Reader.ReadAsync(timer.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>One pass over every deployment and ReplicaSet; returns when the next pass is due.</summary>
    private DateTimeOffset? ReconcileAll(TimeSpan step)
    {
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset? due = null;
        var deployments = _store.List(ResourceType.Deployments, null).Items;
        var owners = deployments.Select(Uid).ToHashSet(StringComparer.Ordinal);

        // Each ReplicaSet by its owner, found once per pass: a pass stays linear in the objects however many namespaces there are.
        var owned = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        var unowned = new List<JsonObject>();
        foreach (var rs in _store.List(ResourceType.ReplicaSets, null).Items)
        {
            switch (ControllerUid(rs))
            {
                case { } owner when owners.Contains(owner):
                    (owned.TryGetValue(owner, out var list) ? list : owned[owner] = []).Add(rs);
                    break;
                case { }:
                    _store.Delete(ResourceType.ReplicaSets, StoredObject.Namespace(rs), StoredObject.Name(rs)!);
                    _pods.Remove(Uid(rs));
                    break;
                default:
                    unowned.Add(rs);
                    break;
            }
        }

        var reconciled = new List<(JsonObject Deployment, IReadOnlyList<JsonObject> ReplicaSets)>(deployments.Count);
        foreach (var deployment in deployments)
        {
            var rollout = new Rollout(this, deployment, owned.TryGetValue(Uid(deployment), out var mine) ? mine : [], now, step);
            rollout.Reconcile();
            due = Earliest(due, rollout.Due);
            reconciled.Add((deployment, rollout.ReplicaSets));
        }

        var replicaSets = reconciled.SelectMany(r => r.ReplicaSets).Concat(unowned).ToList();
        foreach (var rs in replicaSets)
        {
            SyncReplicaSet(rs, now, step);
            due = Earliest(due, Pods(rs).NextChange(now, MinReady(rs)));
        }

        _publisher.Sync(replicaSets.Select(rs => (rs, Pods(rs))), now);
        Publish(reconciled, now);
        Forget(replicaSets);
        return due;
    }

    // The replica-set controller: pods match spec.replicas, and status says how many there are.
    private void SyncReplicaSet(JsonObject rs, DateTimeOffset now, TimeSpan step)
    {
        var pods = Pods(rs);
        pods.ScaleTo((int)StoredObject.Long(rs["spec"]?["replicas"], 1), now, step);
        var status = new JsonObject
        {
            ["replicas"] = pods.Count,
            ["fullyLabeledReplicas"] = pods.Count,
            ["readyReplicas"] = pods.Ready(now),
            ["availableReplicas"] = pods.Available(now, MinReady(rs)),
            ["observedGeneration"] = StoredObject.Generation(rs),
        };
        foreach (var zero in OmittedWhenZero.Where(k => StoredObject.Long(status[k]) == 0))
        {
            status.Remove(zero);
        }

        rs["status"] = status;
        Write(ResourceType.ReplicaSets, rs);
    }

    private void Publish(IEnumerable<(JsonObject Deployment, IReadOnlyList<JsonObject> ReplicaSets)> reconciled, DateTimeOffset now)
    {
        var running = new Dictionary<(string, string), IReadOnlyList<PodGroup>>();
        foreach (var (deployment, replicaSets) in reconciled)
        {
            running[(StoredObject.Namespace(deployment)!, StoredObject.Name(deployment)!)] = replicaSets
                .Select(rs => new PodGroup(StoredObject.Name(rs)!, Pods(rs).Images, Pods(rs).Behaviour, Pods(rs).Ready(now)))
                .Where(g => g.Ready > 0)
                .ToList();
        }

        var snapshot = new ClusterSnapshot(running);
        var changed = snapshot.Deployments.Count != Snapshot.Deployments.Count
            || snapshot.Deployments.Any(p => Snapshot.Find(p.Key.Item1, p.Key.Item2) is not { } before || !before.SequenceEqual(p.Value, PodGroupComparer.Instance));
        Snapshot = snapshot;
        if (changed)
        {
            SnapshotChanged?.Invoke(snapshot);
        }
    }

    // The pods of ReplicaSets deleted with their namespace.
    private void Forget(List<JsonObject> replicaSets)
    {
        if (_pods.Count > replicaSets.Count)
        {
            var live = replicaSets.Select(Uid).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _pods.Keys.Where(uid => !live.Contains(uid)).ToList())
            {
                _pods.Remove(gone);
            }
        }
    }

    internal SimulatedPods Pods(JsonObject rs)
    {
        var uid = Uid(rs);
        if (!_pods.TryGetValue(uid, out var pods))
        {
            var images = (rs["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).Select(c => c?["image"]?.ToString()).ToList();
            _pods[uid] = pods = new SimulatedPods(StoredObject.Name(rs)!, images, Step, _network);
        }

        return pods;
    }

    internal JsonObject Write(ResourceType type, JsonObject obj)
    {
        var written = _store.Update(type, StoredObject.Namespace(obj), obj, WriteScope.All);
        StoredObject.Metadata(obj)["resourceVersion"] = StoredObject.ResourceVersion(written);
        return obj;
    }

    internal JsonObject Create(ResourceType type, JsonObject obj) => _store.Create(type, StoredObject.Namespace(obj), obj);

    internal void Delete(JsonObject rs)
    {
        _store.Delete(ResourceType.ReplicaSets, StoredObject.Namespace(rs), StoredObject.Name(rs)!);
        _pods.Remove(Uid(rs));
    }

    internal static bool IsCopiedAnnotation(string key) => !NotCopied.Contains(key);

    // The condition's lastUpdateTime has whole seconds; a deadline of a few seconds needs the exact moment.
    internal DateTimeOffset? LastProgress(JsonObject deployment) => _progressAt.TryGetValue(Uid(deployment), out var at) ? at : null;

    internal void MarkProgress(JsonObject deployment, DateTimeOffset at) => _progressAt[Uid(deployment)] = at;

    /// <summary>When each deployment's latest rollout was marked complete: what watchers are measured against.</summary>
    public IReadOnlyDictionary<(string Namespace, string Name), DateTimeOffset> CompletedAt => _completedAt;

    internal void MarkCompleted(JsonObject deployment, DateTimeOffset at) =>
        _completedAt[(StoredObject.Namespace(deployment)!, StoredObject.Name(deployment)!)] = at;

    internal static TimeSpan MinReady(JsonObject obj) => TimeSpan.FromSeconds(StoredObject.Long(obj["spec"]?["minReadySeconds"]));

    internal static long Revision(JsonObject rs) =>
        long.TryParse(StoredObject.Annotation(rs, RevisionAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    internal static string Uid(JsonObject obj) => StoredObject.Metadata(obj)["uid"]!.ToString();

    private static string? ControllerUid(JsonObject rs) =>
        (StoredObject.Metadata(rs)["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(o => o["controller"]?.GetValue<bool>() == true)?["uid"]?.ToString();

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private sealed class PodGroupComparer : IEqualityComparer<PodGroup>
    {
        public static readonly PodGroupComparer Instance = new();

        public bool Equals(PodGroup? x, PodGroup? y) => x is not null && y is not null && x.ReplicaSet == y.ReplicaSet && x.Ready == y.Ready;

        public int GetHashCode(PodGroup obj) => HashCode.Combine(obj.ReplicaSet, obj.Ready);
    }
}
