using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Skillancer.Deploy.Sandbox.Hosting;
using Skillancer.Deploy.Sandbox.Prometheus;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Prometheus;

/// <summary>
/// The per-track queries the written configuration gives the canary analysis (latencyQuery,
/// trackErrorRateQuery), run by the real Prometheus over what it scraped from the sandbox.
/// </summary>
public partial class TrackQueriesTests
{
    [Fact]
    public async Task The_written_track_queries_read_a_p95_near_140_ms_twice_that_for_a_slow_version_and_a_normal_error_ratio()
    {
        Assert.True(PrometheusServer.FindProgram() is not null, $"Prometheus is not installed: {PrometheusServer.InstallHint}");
        await using var sandbox = await KubeSandbox.StartAsync();
        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/market-svc", "market-svc=skillancer/market-svc:v1.2.3-slow", "-n", "staging");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/market-svc", "-n", "staging", "--timeout=30s");
        using var rate = await sandbox.Admin.PutAsync("sandbox/traffic/staging", new StringContent("""{"requestsPerPodPerSecond": 100}""", Encoding.UTF8, "application/json"));
        rate.EnsureSuccessStatusCode();
        await using var prometheus = (await PrometheusServer.TryStartAsync(sandbox.Admin.BaseAddress!.Authority, ["market-svc"], TextWriter.Null, CancellationToken.None))!;
        using var client = new HttpClient { BaseAddress = prometheus.Url };
        var written = Directory.CreateDirectory(Path.Join(sandbox.Directory, "written")).FullName;
        var config = await File.ReadAllTextAsync(SandboxConfigWriter.Write(
            written, sandbox.Host.BaseUrl, sandbox.Host.KubeconfigPath, sandbox.Host.Scenario, null, prometheus.Url, "aws-credentials"));
        var latency = Query(config, "latencyQuery");
        var errorRatio = Query(config, "trackErrorRateQuery");

        // Once a whole 5 s window of scrapes is in, all of them after the slow version's rollout.
        await Eventually.TrueAsync(async () => await ValueAsync(client, "count_over_time(http_requests_total{namespace=\"staging\",service=\"market-svc\",track=\"stable\"}[5s])") >= 5);
        var good = await ValueAsync(client, For(latency, "auth-svc"));
        var slow = await ValueAsync(client, For(latency, "market-svc"));
        var goodErrors = await ValueAsync(client, For(errorRatio, "auth-svc"));
        var slowErrors = await ValueAsync(client, For(errorRatio, "market-svc"));

        Assert.InRange(good ?? -1, 0.12, 0.17);
        Assert.InRange((slow ?? -1) / (good ?? 1), 1.7, 2.3);
        Assert.InRange(goodErrors ?? -1, 0.003, 0.007);
        Assert.InRange(slowErrors ?? -1, 0.003, 0.007);
    }

    // A query of the written prometheus: block, as written between single quotes.
    private static string Query(string config, string key) => Regex.Match(config, $"^\\s+{key}: '(.+)'$", RegexOptions.Multiline).Groups[1].Value;

    private static string For(string query, string service) =>
        query.Replace("{namespace}", "staging", StringComparison.Ordinal).Replace("{service}", service, StringComparison.Ordinal).Replace("{track}", "stable", StringComparison.Ordinal);

    // The single value the query answers, or null when it answers none.
    private static async Task<double?> ValueAsync(HttpClient client, string query)
    {
        var answer = await client.GetFromJsonAsync<JsonObject>("api/v1/query?query=" + Uri.EscapeDataString(query));
        var result = answer!["data"]!["result"]!.AsArray();
        return result.Count == 0 ? null : double.Parse(result[0]!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }
}
