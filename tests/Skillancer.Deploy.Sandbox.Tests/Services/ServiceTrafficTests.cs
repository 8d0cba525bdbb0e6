using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Services;

/// <summary>The services follow what the cluster runs: a faulty version fails its health check and its requests, and rolling back heals it.</summary>
public partial class ServiceTrafficTests
{
    [Fact]
    public async Task A_faulty_version_is_unhealthy_with_an_error_ratio_above_10_percent_and_rollback_heals_it()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var healthy = await HealthAsync(sandbox, "market-svc");

        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/market-svc", "market-svc=skillancer/market-svc:v1.2.3-faulty", "-n", "staging");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/market-svc", "-n", "staging", "--timeout=30s");
        var faulty = await HealthAsync(sandbox, "market-svc");
        var faultyRatio = await ErrorRatioAsync(sandbox, "market-svc");
        await sandbox.Kubectl.SucceedAsync("rollout", "undo", "deployment/market-svc", "-n", "staging");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/market-svc", "-n", "staging", "--timeout=30s");
        var healed = await HealthAsync(sandbox, "market-svc");
        var healedRatio = await ErrorRatioAsync(sandbox, "market-svc");

        Assert.Equal((HttpStatusCode.OK, "v1.2.2"), healthy);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "v1.2.3-faulty"), faulty);
        Assert.True(faultyRatio > 0.10, $"error ratio {faultyRatio}");
        Assert.Equal((HttpStatusCode.OK, "v1.2.2"), healed);
        Assert.True(healedRatio < 0.01, $"error ratio {healedRatio}");
    }

    [Fact]
    public async Task A_broken_version_never_serves_so_the_old_pods_keep_answering()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/web", "web=skillancer/web:v1.2.3-broken", "-n", "staging");
        var status = await sandbox.Kubectl.SucceedAsync("get", "deployment", "web", "-n", "staging", "-o", "jsonpath={.status.updatedReplicas}/{.status.availableReplicas}");

        Assert.Equal((HttpStatusCode.OK, "v1.2.2"), await HealthAsync(sandbox, "web", "api/health"));
        Assert.Matches(@"^\d*/2$", status);
    }

    [Fact]
    public async Task Metrics_are_Prometheus_counters_per_environment_and_service()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        using var response = await sandbox.Admin.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();
        var staging = await sandbox.Admin.GetStringAsync("svc/staging/metrics");

        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("# TYPE http_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_errors_total counter", text, StringComparison.Ordinal);
        Assert.Equal(20, Sample().Count(text)); // 2 counters x 5 services x 2 environments
        Assert.Equal(10, Sample().Count(staging));
        Assert.DoesNotContain("production", staging, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode, string?)> HealthAsync(KubeSandbox sandbox, string service, string path = "health")
    {
        using var response = await sandbox.Admin.GetAsync($"svc/staging/{service}/{path}");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (response.StatusCode, body!["version"]?.GetValue<string>());
    }

    // The error ratio over an interval in which the service served at least 40 requests (a poll, not a sleep).
    private static async Task<double> ErrorRatioAsync(KubeSandbox sandbox, string service)
    {
        var (requests, errors) = await CountersAsync(sandbox, service);
        var (laterRequests, laterErrors) = await Eventually.ReadAsync(() => CountersAsync(sandbox, service), later => later.Requests - requests >= 40);
        return (laterErrors - errors) / (laterRequests - requests);
    }

    private static async Task<(double Requests, double Errors)> CountersAsync(KubeSandbox sandbox, string service)
    {
        var text = await sandbox.Admin.GetStringAsync("svc/staging/metrics");
        double Value(string counter) => double.Parse(
            Regex.Match(text, $"^{counter}\\{{[^}}]*service=\"{service}\",track=\"stable\"\\}} (\\S+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        return (Value("http_requests_total"), Value("http_errors_total"));
    }

    [GeneratedRegex("^http_(requests|errors)_total\\{environment=\"\\w+\",namespace=\"\\w+\",service=\"[\\w-]+\",track=\"stable\"\\} [\\d.]+$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
