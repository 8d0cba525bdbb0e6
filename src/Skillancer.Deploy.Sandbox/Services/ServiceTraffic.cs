using System.Globalization;
using System.Text;
using Skillancer.Deploy.Sandbox.Kubernetes.Controller;
using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// The services' traffic, following what the cluster runs: each ready pod serves a steady stream of
/// requests and fails its image's share of them, health checks go round-robin over the ready pods, and
/// the totals are Prometheus counters by environment, namespace, service and track (stable, or the
/// canary's <c>{deployment}-canary</c>). Every namespace that holds an environment's services counts:
/// the scenario's own and the copies tests seed. Deterministic: no randomness, only time and the pods.
/// </summary>
internal sealed class ServiceTraffic
{
    /// <summary>The requests each ready pod serves per second.</summary>
    public const double RequestsPerPodPerSecond = 20;

    private static readonly string[] Tracks = ["stable", "canary"];
    private readonly object _gate = new();
    private readonly SandboxScenario _scenario;
    private readonly List<(string Namespace, ScenarioEnvironment Environment)> _namespaces;
    private readonly Dictionary<(string Namespace, string Service, string Track), (double Requests, double Errors)> _counters = [];
    private readonly Dictionary<(string Namespace, string Service), long> _nextPod = [];
    private ClusterSnapshot _snapshot = ClusterSnapshot.Empty;
    private DateTimeOffset _last = DateTimeOffset.UtcNow;

    public ServiceTraffic(SandboxScenario scenario)
    {
        _scenario = scenario;
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
            foreach (var key in _counters.Keys.Where(k => k.Namespace == ns).ToList())
            {
                _counters.Remove(key);
            }

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

    /// <summary>The counters in Prometheus' text format, for one environment or all.</summary>
    public string Metrics(string? environment)
    {
        lock (_gate)
        {
            Advance();
            var requests = new StringBuilder("# HELP http_requests_total Requests served, by service.\n# TYPE http_requests_total counter\n");
            var errors = new StringBuilder("# HELP http_errors_total Requests answered with a server error, by service.\n# TYPE http_errors_total counter\n");
            foreach (var (ns, env) in _namespaces.Where(n => environment is null || string.Equals(n.Environment.Name, environment, StringComparison.OrdinalIgnoreCase)))
            {
                foreach (var service in env.Services)
                {
                    foreach (var track in Tracks)
                    {
                        // The stable track is always there; the canary's appears once a canary has run.
                        if (!_counters.TryGetValue((ns, service.Name, track), out var counted) && track != "stable")
                        {
                            continue;
                        }

                        var labels = $"{{environment=\"{env.Name}\",namespace=\"{ns}\",service=\"{service.Name}\",track=\"{track}\"}}";
                        requests.Append("http_requests_total").Append(labels).Append(' ').Append(Format(counted.Requests)).Append('\n');
                        errors.Append("http_errors_total").Append(labels).Append(' ').Append(Format(counted.Errors)).Append('\n');
                    }
                }
            }

            return requests.Append(errors).ToString();
        }
    }

    private void Advance()
    {
        var now = DateTimeOffset.UtcNow;
        var seconds = (now - _last).TotalSeconds;
        _last = now;
        foreach (var (ns, env) in _namespaces)
        {
            foreach (var service in env.Services)
            {
                foreach (var track in Tracks)
                {
                    var deployment = track == "stable" ? service.Deployment : service.Deployment + "-canary";
                    if (_snapshot.Find(ns, deployment) is not { } groups)
                    {
                        continue;
                    }

                    var served = groups.Sum(g => g.Ready * RequestsPerPodPerSecond * seconds);
                    var failed = groups.Sum(g => g.Ready * RequestsPerPodPerSecond * seconds * ImageRules.ErrorRatio(g.Behaviour));
                    var (requests, errors) = _counters.GetValueOrDefault((ns, service.Name, track));
                    _counters[(ns, service.Name, track)] = (requests + served, errors + failed);
                }
            }
        }
    }

    // By environment name, else by namespace (a test's copy of an environment is addressed by its namespace).
    private (string Namespace, ScenarioService Service)? Locate(string environment, string service)
    {
        var (ns, env) = _scenario.Environment(environment) is { } named
            ? (named.Namespace, named)
            : _namespaces.FirstOrDefault(n => string.Equals(n.Namespace, environment, StringComparison.Ordinal));
        return env?.Service(service) is { } found ? (ns, found) : null;
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>A health check's answer: the status code, the version that answered, and why it failed.</summary>
internal sealed record HealthAnswer(int StatusCode, string? Version, string? Reason);
