using System.Globalization;
using System.Text;
using Skillancer.Deploy.Sandbox.Kubernetes.Controller;
using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// The services' traffic, following what the cluster runs: each ready pod serves a steady stream of
/// requests and fails its image's share of them, health checks go round-robin over the ready pods, and
/// the totals are Prometheus counters. Deterministic: no randomness, only time and the pods.
/// </summary>
internal sealed class ServiceTraffic
{
    /// <summary>The requests each ready pod serves per second.</summary>
    public const double RequestsPerPodPerSecond = 20;

    private readonly object _gate = new();
    private readonly SandboxScenario _scenario;
    private readonly Dictionary<(string Namespace, string Service), (double Requests, double Errors)> _counters = [];
    private readonly Dictionary<(string Namespace, string Service), long> _nextPod = [];
    private ClusterSnapshot _snapshot = ClusterSnapshot.Empty;
    private DateTimeOffset _last = DateTimeOffset.UtcNow;

    public ServiceTraffic(SandboxScenario scenario) => _scenario = scenario;

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
    /// How a service's health check answers now, or null when the cluster does not run the service: 200
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

    /// <summary>The counters in Prometheus' text format, for one environment or all.</summary>
    public string Metrics(string? environment)
    {
        lock (_gate)
        {
            Advance();
            var requests = new StringBuilder("# HELP http_requests_total Requests served, by service.\n# TYPE http_requests_total counter\n");
            var errors = new StringBuilder("# HELP http_errors_total Requests answered with a server error, by service.\n# TYPE http_errors_total counter\n");
            foreach (var env in _scenario.Environments.Where(e => environment is null || string.Equals(e.Name, environment, StringComparison.OrdinalIgnoreCase)))
            {
                foreach (var service in env.Services)
                {
                    var labels = $"{{environment=\"{env.Name}\",namespace=\"{env.Namespace}\",service=\"{service.Name}\"}}";
                    var (served, failed) = _counters.GetValueOrDefault((env.Namespace, service.Name));
                    requests.Append("http_requests_total").Append(labels).Append(' ').Append(Format(served)).Append('\n');
                    errors.Append("http_errors_total").Append(labels).Append(' ').Append(Format(failed)).Append('\n');
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
        foreach (var env in _scenario.Environments)
        {
            foreach (var service in env.Services)
            {
                var groups = _snapshot.Find(env.Namespace, service.Deployment) ?? [];
                var served = groups.Sum(g => g.Ready * RequestsPerPodPerSecond * seconds);
                var failed = groups.Sum(g => g.Ready * RequestsPerPodPerSecond * seconds * ImageRules.ErrorRatio(g.Behaviour));
                var (requests, errors) = _counters.GetValueOrDefault((env.Namespace, service.Name));
                _counters[(env.Namespace, service.Name)] = (requests + served, errors + failed);
            }
        }
    }

    private (string Namespace, ScenarioService Service)? Locate(string environment, string service) =>
        _scenario.Environment(environment) is { } env && env.Service(service) is { } found ? (env.Namespace, found) : null;

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>A health check's answer: the status code, the version that answered, and why it failed.</summary>
internal sealed record HealthAnswer(int StatusCode, string? Version, string? Reason);
