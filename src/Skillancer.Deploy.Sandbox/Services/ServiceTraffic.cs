using Skillancer.Deploy.Sandbox.Kubernetes.Controller;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;
using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// The services' traffic, following what the cluster runs. Each ready pod serves a stream of requests
/// (the namespace's requests per pod per second) and fails its image's share of them; health checks go
/// round-robin over the ready pods. For a service with a canary, the demand is what its stable pods
/// serve, and its VirtualService's weights split it: the canary track gets its weight's share while the
/// <c>{deployment}-canary</c> deployment has ready pods. The counts are Prometheus counters by
/// environment, namespace, service and track (stable, or canary), with a latency histogram from the
/// image's log-normal distribution (<see cref="LatencyHistogram"/>). Every namespace that holds an
/// environment's services counts: the scenario's own and the copies tests seed.
/// Not quite deterministic: each series has seeded noise (<see cref="SeriesNoise"/>) in its errors and its
/// latency per one-second tick, so that per-scrape samples vary; requests follow only time and the pods.
/// Everything is worked out per tick and series, never per request.
/// </summary>
internal sealed class ServiceTraffic
{
    /// <summary>The requests each ready pod serves per second, unless the sandbox or a namespace says otherwise.</summary>
    public const double DefaultRequestsPerPodPerSecond = 20;

    /// <summary>The suffix of a service's canary deployment, as the engine names it.</summary>
    public const string CanarySuffix = "-canary";

    private const string StableTrack = "stable";
    private const string CanaryTrack = "canary";
    private readonly object _gate = new();
    private readonly SandboxScenario _scenario;
    private readonly TimeProvider _clock;
    private readonly double _defaultRate;
    private readonly List<(string Namespace, ScenarioEnvironment Environment)> _namespaces;
    private readonly Dictionary<(string Namespace, string Service, string Track), TrafficSeries> _series = [];
    private readonly Dictionary<(string Namespace, string Service), long> _nextPod = [];
    private readonly Dictionary<string, double> _rates = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), VirtualServiceRoutes> _routes = [];
    private ClusterSnapshot _snapshot = ClusterSnapshot.Empty;
    private DateTimeOffset _last;

    /// <summary>The traffic of <paramref name="scenario"/>'s environments, each ready pod serving <paramref name="requestsPerPodPerSecond"/> requests per second.</summary>
    public ServiceTraffic(SandboxScenario scenario, double requestsPerPodPerSecond = DefaultRequestsPerPodPerSecond, TimeProvider? clock = null)
    {
        CheckRate(requestsPerPodPerSecond);
        _scenario = scenario;
        _clock = clock ?? TimeProvider.System;
        _defaultRate = requestsPerPodPerSecond;
        _last = _clock.GetUtcNow();
        _namespaces = scenario.Environments.Select(e => (e.Namespace, e)).ToList();
    }

    /// <summary>Counts the traffic of a namespace that holds a copy of <paramref name="environment"/>'s services.</summary>
    public void Track(string ns, ScenarioEnvironment environment)
    {
        lock (_gate)
        {
            Advance();
            _namespaces.Add((ns, environment));
        }
    }

    /// <summary>Stops counting a namespace's traffic: its copy was deleted.</summary>
    public void Untrack(string ns)
    {
        lock (_gate)
        {
            Advance();
            _namespaces.RemoveAll(n => n.Namespace == ns);
            foreach (var key in _series.Keys.Where(k => k.Namespace == ns).ToList())
            {
                _series.Remove(key);
            }

            foreach (var key in _routes.Keys.Where(k => k.Namespace == ns).ToList())
            {
                _routes.Remove(key);
            }

            _rates.Remove(ns);

            foreach (var key in _nextPod.Keys.Where(k => k.Namespace == ns).ToList())
            {
                _nextPod.Remove(key);
            }
        }
    }

    /// <summary>Takes the cluster's new state, after counting the traffic served in the old one.</summary>
    public void Follow(ClusterSnapshot snapshot)
    {
        lock (_gate)
        {
            Advance();
            _snapshot = snapshot;
        }
    }

    /// <summary>
    /// Follows the store's VirtualServices from now on: those it holds, and every change to one (the
    /// store's other changes are ignored at once).
    /// </summary>
    public void FollowRoutes(ObjectStore store)
    {
        store.Changed += Follow;
        foreach (var virtualService in store.List(ResourceType.VirtualServices, null).Items)
        {
            var version = long.Parse(StoredObject.ResourceVersion(virtualService)!, System.Globalization.CultureInfo.InvariantCulture);
            Follow(new WatchEvent(version, "ADDED", ResourceType.VirtualServices, StoredObject.Namespace(virtualService), virtualService));
        }
    }

    /// <summary>
    /// Takes a VirtualService's new weights, after counting the traffic served at the old ones. A change
    /// older than the one already taken (changes are raised outside the store's lock, so two writers' may
    /// cross) and changes of other kinds are ignored.
    /// </summary>
    public void Follow(WatchEvent change)
    {
        if (change.Resource != ResourceType.VirtualServices || change.Namespace is not { } ns || StoredObject.Name(change.Object) is not { } name)
        {
            return;
        }

        var routes = change.Type == "DELETED" ? new VirtualServiceRoutes(change.ResourceVersion, []) : VirtualServiceRoutes.Read(change.Object, change.ResourceVersion);
        lock (_gate)
        {
            if (_routes.TryGetValue((ns, name), out var known) && known.ResourceVersion >= change.ResourceVersion)
            {
                return;
            }

            Advance();
            _routes[(ns, name)] = routes;
        }
    }

    /// <summary>
    /// Sets the requests each ready pod of <paramref name="ns"/> serves per second, after counting the
    /// traffic served at the old rate; false when the sandbox counts no traffic in that namespace.
    /// </summary>
    public bool SetRate(string ns, double requestsPerPodPerSecond)
    {
        CheckRate(requestsPerPodPerSecond);
        lock (_gate)
        {
            if (!_namespaces.Any(n => n.Namespace == ns))
            {
                return false;
            }

            Advance();
            _rates[ns] = requestsPerPodPerSecond;
            return true;
        }
    }

    /// <summary>The requests each ready pod of <paramref name="ns"/> serves per second.</summary>
    public double Rate(string ns)
    {
        lock (_gate)
        {
            return _rates.GetValueOrDefault(ns, _defaultRate);
        }
    }

    /// <summary>
    /// How a service's health check answers now, or null when the cluster does not run the service
    /// (<paramref name="environment"/> is an environment's name, or the namespace of a test's copy): 200
    /// from a good pod, 503 from a faulty one or when no pod is ready.
    /// </summary>
    public HealthAnswer? Health(string environment, string service)
    {
        lock (_gate)
        {
            if (Locate(environment, service) is not { } found || _snapshot.Find(found.Namespace, found.Service.Deployment) is not { } groups)
            {
                return null;
            }

            var ready = groups.Sum(g => g.Ready);
            if (ready == 0)
            {
                return new HealthAnswer(503, null, "no ready pods");
            }

            var key = (found.Namespace, found.Service.Name);
            var pick = _nextPod.GetValueOrDefault(key) % ready;
            _nextPod[key] = _nextPod.GetValueOrDefault(key) + 1;
            var group = groups.SkipWhile(g => (pick -= g.Ready) >= 0).First();
            var version = ImageRules.Tag(group.Images.Count > 0 ? group.Images[0] : null);
            return group.Behaviour == ImageBehaviour.Faulty
                ? new HealthAnswer(503, version, "error rate above threshold")
                : new HealthAnswer(200, version, null);
        }
    }

    /// <summary>
    /// How a service's pages answer now: faulty when any ready pod runs a faulty image, unavailable
    /// when none is ready, null when the cluster does not run the service.
    /// </summary>
    public ImageBehaviour? Behaviour(string environment, string service)
    {
        lock (_gate)
        {
            if (Locate(environment, service) is not { } found || _snapshot.Find(found.Namespace, found.Service.Deployment) is not { } groups)
            {
                return null;
            }

            var ready = groups.Where(g => g.Ready > 0).ToList();
            return ready.Count == 0 ? ImageBehaviour.Broken : ready.Max(g => g.Behaviour);
        }
    }

    /// <summary>The counters and the latency histogram in Prometheus' text format, for one environment or all.</summary>
    public string Metrics(string? environment)
    {
        lock (_gate)
        {
            Advance();
            var series = new List<TrafficSeries>();
            foreach (var (ns, env) in _namespaces.Where(n => environment is null || string.Equals(n.Environment.Name, environment, StringComparison.OrdinalIgnoreCase)))
            {
                foreach (var service in env.Services)
                {
                    // The stable track is always there; the canary's appears with the first canary deployment, and stays.
                    series.Add(Series(ns, env, service, StableTrack));
                    if (_series.ContainsKey((ns, service.Name, CanaryTrack)) || _snapshot.Find(ns, service.Deployment + CanarySuffix) is not null)
                    {
                        series.Add(Series(ns, env, service, CanaryTrack));
                    }
                }
            }

            return TrafficExposition.Write(series);
        }
    }

    // Counts the traffic served since the last call, in the state the traffic had since then.
    private void Advance()
    {
        var now = _clock.GetUtcNow();
        var spans = TickSpan.Between(_last, now);
        _last = now;
        if (spans.Count == 0)
        {
            return;
        }

        foreach (var (ns, env) in _namespaces)
        {
            var rate = _rates.GetValueOrDefault(ns, _defaultRate);
            foreach (var service in env.Services)
            {
                var stable = _snapshot.Find(ns, service.Deployment);
                var canary = _snapshot.Find(ns, service.Deployment + CanarySuffix);
                if (stable is null && canary is null)
                {
                    continue;
                }

                var (stableLoad, canaryLoad) = service.Canary is { } routing
                    ? Split(stable, canary, rate, CanaryShare(ns, routing))
                    : (Load(stable, rate * Ready(stable)), Load(canary, rate * Ready(canary)));
                if (stable is not null)
                {
                    Series(ns, env, service, StableTrack).Serve(stableLoad, spans);
                }

                if (canary is not null)
                {
                    Series(ns, env, service, CanaryTrack).Serve(canaryLoad, spans);
                }
            }
        }
    }

    // The stable pods' demand, split by the VirtualService: the canary's share goes to it only while it has ready pods.
    private static (GroupLoad[] Stable, GroupLoad[] Canary) Split(IReadOnlyList<PodGroup>? stable, IReadOnlyList<PodGroup>? canary, double rate, double canaryShare)
    {
        var demand = rate * Ready(stable);
        var toCanary = Ready(canary) > 0 ? demand * canaryShare : 0;
        return (Load(stable, demand - toCanary), Load(canary, toCanary));
    }

    // A track's requests per second, spread over its ReplicaSets by their ready pods.
    private static GroupLoad[] Load(IReadOnlyList<PodGroup>? groups, double requestsPerSecond)
    {
        var ready = Ready(groups);
        return ready == 0 ? [] : groups!.Select(g => new GroupLoad(requestsPerSecond * g.Ready / ready, g.Behaviour)).ToArray();
    }

    private static void CheckRate(double requestsPerPodPerSecond)
    {
        if (!double.IsFinite(requestsPerPodPerSecond) || requestsPerPodPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerPodPerSecond), requestsPerPodPerSecond, "A rate of requests is a finite number, 0 or more.");
        }
    }

    private static int Ready(IReadOnlyList<PodGroup>? groups) => groups?.Sum(g => g.Ready) ?? 0;

    private double CanaryShare(string ns, ScenarioCanary routing) =>
        _routes.TryGetValue((ns, routing.VirtualService), out var routes) ? routes.CanaryShare(routing) : 0;

    private TrafficSeries Series(string ns, ScenarioEnvironment env, ScenarioService service, string track)
    {
        if (!_series.TryGetValue((ns, service.Name, track), out var series))
        {
            series = new TrafficSeries(env.Name, ns, service.Name, track);
            _series[(ns, service.Name, track)] = series;
        }

        return series;
    }

    // By environment name, else by namespace (a test's copy of an environment is addressed by its namespace).
    private (string Namespace, ScenarioService Service)? Locate(string environment, string service)
    {
        var (ns, env) = _scenario.Environment(environment) is { } named
            ? (named.Namespace, named)
            : _namespaces.FirstOrDefault(n => string.Equals(n.Namespace, environment, StringComparison.Ordinal));
        return env?.Service(service) is { } found ? (ns, found) : null;
    }
}
