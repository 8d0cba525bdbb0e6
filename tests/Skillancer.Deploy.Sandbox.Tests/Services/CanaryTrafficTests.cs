using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Services;

/// <summary>
/// Through the sandbox's APIs, as the module and the canary analysis meet it: the VirtualService's
/// weights split a service's traffic between its tracks, and <c>PUT /sandbox/traffic/{namespace}</c>
/// sets a namespace's rate.
/// </summary>
public class CanaryTrafficTests
{
    private const string WebRoutes = "apis/networking.istio.io/v1/namespaces/staging/virtualservices/web";

    [Fact]
    public async Task A_canary_at_weight_5_serves_5_percent_of_the_stable_pods_demand()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await StartCanaryAsync(sandbox);
        await sandbox.MergePatchAsync(WebRoutes, Routes(stable: 95, canary: 5));
        (await SetRateAsync(sandbox, "staging", """{"requestsPerPodPerSecond": 200}""")).EnsureSuccessStatusCode();

        var before = await MetricsAsync(sandbox);
        var after = await Eventually.ReadAsync(() => MetricsAsync(sandbox), m => Growth(before, m, "web", "canary") >= 60);

        var stable = Growth(before, after, "web", "stable");
        var canary = Growth(before, after, "web", "canary");
        Assert.InRange(canary / (stable + canary), 0.03, 0.07);
        Assert.Equal(Growth(before, after, "auth-svc", "stable"), stable + canary, 2); // auth-svc also runs 2 ready pods
    }

    [Fact]
    public async Task A_canary_at_weight_0_gets_no_requests_even_when_its_pods_are_ready()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await StartCanaryAsync(sandbox);
        await sandbox.MergePatchAsync(WebRoutes, Routes(stable: 100, canary: 0));

        var before = await MetricsAsync(sandbox);
        var after = await Eventually.ReadAsync(() => MetricsAsync(sandbox), m => Growth(before, m, "web", "stable") >= 100);

        Assert.NotNull(after.Value("http_requests_total", "staging", "web", "canary"));
        Assert.Equal(0, Growth(before, after, "web", "canary"));
    }

    [Fact]
    public async Task A_namespace_s_rate_is_set_at_run_time_and_its_traffic_follows()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var copied = await sandbox.Admin.PostAsJsonAsync("sandbox/kubernetes/environments", new { environment = "staging", @namespace = "t-rate" });
        copied.EnsureSuccessStatusCode();
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/auth-svc", "-n", "t-rate", "--timeout=30s");

        using var set = await SetRateAsync(sandbox, "t-rate", """{"requestsPerPodPerSecond": 200}""");
        var answer = await set.Content.ReadFromJsonAsync<JsonObject>();
        var before = await MetricsAsync(sandbox);
        var after = await Eventually.ReadAsync(() => MetricsAsync(sandbox), m => Growth(before, m, "auth-svc", "stable", "t-rate") >= 400);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("t-rate", answer!["namespace"]!.GetValue<string>());
        Assert.Equal(200, answer["requestsPerPodPerSecond"]!.GetValue<double>());
        // The same two pods and the same interval: ten times the default 20 requests per second.
        Assert.Equal(10, Growth(before, after, "auth-svc", "stable", "t-rate") / Growth(before, after, "auth-svc", "stable"), 3);
    }

    [Theory]
    [InlineData("no-such-namespace", """{"requestsPerPodPerSecond": 200}""", HttpStatusCode.NotFound)]
    [InlineData("staging", """{"requestsPerPodPerSecond": -1}""", HttpStatusCode.BadRequest)]
    [InlineData("staging", """{"requestsPerPodPerSecond": "fast"}""", HttpStatusCode.BadRequest)]
    [InlineData("staging", """{"rate": 200}""", HttpStatusCode.BadRequest)]
    [InlineData("staging", """{"requestsPerPodPerSecond": 200""", HttpStatusCode.BadRequest)]
    [InlineData("staging", "", HttpStatusCode.BadRequest)]
    public async Task A_rate_for_an_unknown_namespace_is_404_and_one_that_is_no_rate_400_changing_nothing(string ns, string body, HttpStatusCode expected)
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        using var refused = await SetRateAsync(sandbox, ns, body);
        var answer = await refused.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(expected, refused.StatusCode);
        Assert.False(string.IsNullOrEmpty(answer!["error"]!.GetValue<string>()));
        Assert.Equal(20, sandbox.Host.Traffic.Rate("staging"));
    }

    // A one-pod web-canary deployment, ready: what Start-SkCanary runs before it moves the weights.
    private static async Task StartCanaryAsync(KubeSandbox sandbox)
    {
        await sandbox.Kubectl.SucceedAsync("create", "deployment", "web-canary", "--image=skillancer/web:v1.2.3", "--replicas=1", "-n", "staging");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/web-canary", "-n", "staging", "--timeout=30s");
    }

    private static string Routes(int stable, int canary) =>
        $$$"""{"spec":{"http":[{"route":[{"destination":{"host":"web","subset":"stable"},"weight":{{{stable}}}},{"destination":{"host":"web","subset":"canary"},"weight":{{{canary}}}}]}]}}""";

    private static Task<HttpResponseMessage> SetRateAsync(KubeSandbox sandbox, string ns, string body) =>
        sandbox.Admin.PutAsync($"sandbox/traffic/{ns}", new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<MetricsText> MetricsAsync(KubeSandbox sandbox) => MetricsText.Parse(await sandbox.Admin.GetStringAsync("metrics"));

    private static double Growth(MetricsText before, MetricsText after, string service, string track, string ns = "staging") =>
        (after.Value("http_requests_total", ns, service, track) ?? 0) - (before.Value("http_requests_total", ns, service, track) ?? 0);
}
