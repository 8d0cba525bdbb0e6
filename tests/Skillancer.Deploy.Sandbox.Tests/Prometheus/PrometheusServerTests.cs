using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Prometheus;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Prometheus;

/// <summary>The real Prometheus the sandbox runs: it scrapes the sandbox's counters, and it can be stopped and started again.</summary>
public class PrometheusServerTests
{
    [Fact]
    public async Task It_scrapes_the_sandbox_and_keeps_its_data_across_a_restart()
    {
        Assert.True(PrometheusServer.FindProgram() is not null, $"Prometheus is not installed: {PrometheusServer.InstallHint}");
        await using var sandbox = await KubeSandbox.StartAsync();
        await using var prometheus = (await PrometheusServer.TryStartAsync(sandbox.Admin.BaseAddress!.Authority, ["web"], TextWriter.Null, CancellationToken.None))!;
        using var client = new HttpClient { BaseAddress = prometheus.Url };

        var before = await Eventually.ReadAsync(() => SeriesAsync(client), count => count > 0);
        await prometheus.StopAsync();
        var down = await Record.ExceptionAsync(() => client.GetAsync("-/ready"));
        await prometheus.StartAsync(CancellationToken.None);
        var after = await SeriesAsync(client);

        Assert.Equal(10, before); // requests of 5 services x 2 environments
        Assert.IsType<HttpRequestException>(down);
        Assert.Equal(10, after);
    }

    [Fact]
    public async Task It_loads_the_alerting_rules_of_every_service_as_a_real_setup_would_have_them()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await using var prometheus = (await PrometheusServer.TryStartAsync(sandbox.Admin.BaseAddress!.Authority, ["web", "auth-svc"], TextWriter.Null, CancellationToken.None))!;
        using var client = new HttpClient { BaseAddress = prometheus.Url };

        var rules = await client.GetFromJsonAsync<JsonObject>("api/v1/rules?type=alert");

        var alerts = rules!["data"]!["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).ToList();
        Assert.Equal(["ApiGatewayDown", "AuthSvcHighErrorRate", "HighErrorRate", "WebHighErrorRate"], alerts.Select(a => a!["name"]!.GetValue<string>()).Order());
        Assert.All(alerts, a => Assert.Equal("alerting", a!["type"]!.GetValue<string>()));
        Assert.Contains("http_errors_total{service=\"web\"}", alerts.Single(a => a!["name"]!.GetValue<string>() == "WebHighErrorRate")!["query"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<int> SeriesAsync(HttpClient client)
    {
        var answer = await client.GetFromJsonAsync<JsonObject>("api/v1/query?query=" + Uri.EscapeDataString("http_requests_total{track=\"stable\"}"));
        return answer!["data"]!["result"]!.AsArray().Count;
    }
}
