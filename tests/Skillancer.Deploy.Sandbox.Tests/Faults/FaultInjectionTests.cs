using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Faults;

/// <summary>Faults injected per route through the admin API, and the request log that shows what clients sent.</summary>
public class FaultInjectionTests
{
    private const string Deployments = KubeSandbox.StagingDeployments;

    [Fact]
    public async Task An_error_rate_fails_a_deterministic_share_of_requests_with_a_Kubernetes_Status()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await AddFaultAsync(sandbox, new { method = "GET", path = "/apis/apps/v1/namespaces/*/deployments/*", status = 500, rate = 0.5 });

        var codes = new List<int>();
        JsonObject? status = null;
        for (var i = 0; i < 4; i++)
        {
            using var response = await sandbox.Api.GetAsync($"{Deployments}/web");
            codes.Add((int)response.StatusCode);
            status = await response.Content.ReadFromJsonAsync<JsonObject>();
        }

        Assert.Equal([200, 500, 200, 500], codes);
        Assert.Equal("InternalError", status!["reason"]!.GetValue<string>());
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_503_with_Retry_After_is_retried_by_kubectl_which_then_succeeds()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await AddFaultAsync(sandbox, new { method = "GET", path = "/apis/apps/v1/namespaces/staging/deployments/api-gateway", status = 503, retryAfter = 1, times = 1 });

        var output = await sandbox.Kubectl.SucceedAsync("get", "deployment", "api-gateway", "-n", "staging", "-o", "name");
        var faults = await sandbox.Admin.GetFromJsonAsync<JsonArray>("sandbox/faults");

        Assert.Equal("deployment.apps/api-gateway", output.Trim());
        Assert.Equal(1, faults![0]!["hit"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_429_carries_Retry_After_in_the_header_and_the_Status()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await AddFaultAsync(sandbox, new { path = "/apis/**", status = 429, retryAfter = 7 });

        using var response = await sandbox.Api.GetAsync(Deployments);
        var status = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
        Assert.Equal(7, status!["details"]!["retryAfterSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_dropped_connection_cuts_the_response_half_way()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await AddFaultAsync(sandbox, new { path = "/svc/staging/web/api/health", drop = true });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sandbox.Admin.GetStringAsync("svc/staging/web/api/health"));
    }

    [Fact]
    public async Task Added_latency_delays_the_answer_but_still_serves_it()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await AddFaultAsync(sandbox, new { path = "/svc/staging/auth-svc/health", latencyMs = 50, times = 2 });

        using var response = await sandbox.Admin.GetAsync("svc/staging/auth-svc/health");
        var faults = await sandbox.Admin.GetFromJsonAsync<JsonArray>("sandbox/faults");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, faults![0]!["hit"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_watch_closes_after_the_given_number_of_events()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await AddFaultAsync(sandbox, new { path = "/apis/apps/v1/namespaces/staging/deployments", watchEvents = 2 });

        await using var watch = await WatchReader.OpenAsync(sandbox.Api, $"{Deployments}?watch=true");

        Assert.NotNull(await watch.NextAsync());
        Assert.NotNull(await watch.NextAsync());
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task A_bad_rule_is_refused_and_rules_can_be_cleared()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        using var bad = await sandbox.Admin.PostAsJsonAsync("sandbox/faults", new { path = "/api/**", status = 500, rate = 2 });
        await AddFaultAsync(sandbox, new { path = "/api/**", status = 500 });
        using var cleared = await sandbox.Admin.DeleteAsync("sandbox/faults");
        var rules = await sandbox.Admin.GetFromJsonAsync<JsonArray>("sandbox/faults");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("rate must be between 0 and 1", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(rules!);
    }

    [Fact]
    public async Task The_request_log_shows_that_reads_mutate_nothing_and_records_each_write()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        (await sandbox.Admin.DeleteAsync("sandbox/requests")).EnsureSuccessStatusCode();

        await sandbox.Kubectl.SucceedAsync("get", "deployments", "-n", "staging");
        await sandbox.Kubectl.SucceedAsync("rollout", "history", "deployment/web", "-n", "staging");
        var afterReads = await sandbox.MutatingRequestsAsync();
        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/web", "web=skillancer/web:v1.2.3", "-n", "staging");
        var afterWrite = await sandbox.MutatingRequestsAsync();

        Assert.Empty(afterReads);
        var patch = Assert.Single(afterWrite);
        Assert.Equal("PATCH", patch["method"]!.GetValue<string>());
        Assert.Equal("/apis/apps/v1/namespaces/staging/deployments/web", patch["path"]!.GetValue<string>());
        Assert.StartsWith("application/strategic-merge-patch+json", patch["contentType"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(200, patch["status"]!.GetValue<int>());
    }

    private static async Task AddFaultAsync(KubeSandbox sandbox, object rule)
    {
        using var response = await sandbox.Admin.PostAsJsonAsync("sandbox/faults", rule);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
