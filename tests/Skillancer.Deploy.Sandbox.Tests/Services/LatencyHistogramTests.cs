using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Scenario;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Services;

/// <summary>
/// The services' latency histogram (<c>http_request_duration_seconds</c>) is well formed, puts a good
/// version's p95 near 0.14 s, and a <c>-slow</c> version's at twice that, with a normal error ratio
/// and a healthy health check.
/// </summary>
public class LatencyHistogramTests
{
    private static readonly string[] Bounds = ["0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.15", "0.2", "0.25", "0.3", "0.4", "0.5", "0.75", "1", "2.5", "5", "+Inf"];

    [Fact]
    public async Task The_histogram_is_well_formed_and_counts_every_request_of_its_series()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var text = await Eventually.ReadAsync(
            async () => MetricsText.Parse(await sandbox.Admin.GetStringAsync("metrics")),
            m => m.Value("http_requests_total", "staging", "web", "stable") > 10);

        Assert.Contains("# HELP http_request_duration_seconds ", text.Text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_request_duration_seconds histogram\n", text.Text, StringComparison.Ordinal);
        var series = text.Samples.Where(s => s.Name == "http_requests_total").ToList();
        Assert.Equal(10, series.Count);
        Assert.All(series, requests =>
        {
            var (ns, service, track) = (requests.Labels["namespace"], requests.Labels["service"], requests.Labels["track"]);
            var buckets = text.Of("http_request_duration_seconds_bucket", ns, service, track).ToList();
            Assert.Equal(Bounds, buckets.Select(b => b.Labels["le"]));
            Assert.Equal(["environment", "le", "namespace", "service", "track"], buckets[0].Labels.Keys.Order(StringComparer.Ordinal));
            Assert.All(buckets.Zip(buckets.Skip(1)), pair => Assert.True(pair.First.Value <= pair.Second.Value, $"{service}: le={pair.First.Labels["le"]} {pair.First.Value} > le={pair.Second.Labels["le"]} {pair.Second.Value}"));
            Assert.Equal(text.One("http_request_duration_seconds_count", ns, service, track).Written, buckets[^1].Written);
            Assert.Equal(requests.Written, buckets[^1].Written);
            Assert.InRange(text.One("http_request_duration_seconds_sum", ns, service, track).Value / requests.Value, 0.07, 0.1);
        });
    }

    [Fact]
    public void A_good_version_s_p95_is_near_140_ms_and_a_slow_one_s_twice_that_at_a_normal_error_ratio()
    {
        var rig = new TrafficRig();
        rig.Run(("auth-svc", TrafficRig.Image("auth-svc"), 2), ("market-svc", TrafficRig.Image("market-svc", "-slow"), 2));
        var before = rig.Metrics();

        var after = rig.Step(30);

        double Quantile(double q, string service) => HistogramQuantile.Of(q, before.Buckets("staging", service, "stable"), after.Buckets("staging", service, "stable"));
        double ErrorRatio(string service) =>
            (after.Value("http_errors_total", "staging", service, "stable")!.Value - before.Value("http_errors_total", "staging", service, "stable")!.Value)
            / (after.Value("http_requests_total", "staging", service, "stable")!.Value - before.Value("http_requests_total", "staging", service, "stable")!.Value);
        Assert.InRange(Quantile(0.95, "auth-svc"), 0.13, 0.155);
        Assert.InRange(Quantile(0.5, "auth-svc"), 0.075, 0.085);
        Assert.InRange(Quantile(0.95, "market-svc") / Quantile(0.95, "auth-svc"), 1.8, 2.2);
        Assert.InRange(Quantile(0.5, "market-svc") / Quantile(0.5, "auth-svc"), 1.8, 2.2);
        Assert.InRange(ErrorRatio("market-svc"), 0.004, 0.006);
    }

    [Fact]
    public void A_slow_image_sits_between_good_and_erroring_and_never_fails_health()
    {
        var rig = new TrafficRig();
        rig.Run(("market-svc", TrafficRig.Image("market-svc", "-slow"), 2));

        Assert.Equal(ImageBehaviour.Slow, ImageRules.Classify("skillancer/market-svc:v1.2.3-slow"));
        Assert.Equal(
            [ImageBehaviour.Good, ImageBehaviour.Slow, ImageBehaviour.Erroring, ImageBehaviour.Broken, ImageBehaviour.Faulty],
            Enum.GetValues<ImageBehaviour>().Order());
        Assert.Equal(ImageBehaviour.Slow, ImageRules.Worst(["skillancer/market-svc:v1.2.3", "skillancer/sidecar:v1-slow"]));
        Assert.Equal(ImageRules.ErrorRatio(ImageBehaviour.Good), ImageRules.ErrorRatio(ImageBehaviour.Slow));
        Assert.Equal(200, rig.Traffic.Health("staging", "market-svc")!.StatusCode);
        Assert.Equal(ImageBehaviour.Slow, rig.Traffic.Behaviour("staging", "market-svc"));
    }

    [Fact]
    public async Task A_slow_version_rolls_out_answers_its_health_check_and_serves_its_pages()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/web", "web=skillancer/web:v1.2.3-slow", "-n", "staging");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/web", "-n", "staging", "--timeout=30s");
        using var health = await sandbox.Admin.GetAsync("svc/staging/web/api/health");
        using var jobs = await sandbox.Admin.GetAsync("svc/staging/web/api/jobs");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("v1.2.3-slow", (await health.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
    }
}
