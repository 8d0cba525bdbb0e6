using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;
using Skillancer.Deploy.Engine.Verification;

namespace Skillancer.Deploy.Engine.Tests.Verification;

public class HealthCheckerTests : IClassFixture<LoopbackServers>
{
    private static readonly HealthCheckOptions Quick = new(TimeSpan.FromSeconds(30), 0, TimeSpan.FromMilliseconds(50), false);
    private readonly LoopbackServers _servers;

    public HealthCheckerTests(LoopbackServers servers) => _servers = servers;

    [Fact]
    public async Task A_200_is_healthy_with_its_status_latency_and_one_attempt()
    {
        var result = await CheckOne(new Uri(_servers.Http, "/ok"));

        Assert.True(result.Healthy);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(1, result.Attempts);
        Assert.Null(result.Error);
        Assert.True(result.LatencyMs >= 0);
        Assert.Equal("api-gateway", result.Service);
    }

    [Fact]
    public async Task A_500_is_unhealthy_and_says_so()
    {
        var result = await CheckOne(new Uri(_servers.Http, "/error"));

        Assert.False(result.Healthy);
        Assert.Equal(500, result.StatusCode);
        Assert.StartsWith("HTTP 500", result.Error);
    }

    [Fact]
    public async Task A_503_that_recovers_is_healthy_after_retries()
    {
        var url = new Uri(_servers.Http, $"/flaky/{Guid.NewGuid():N}");

        var result = await CheckOne(url, Quick with { Retries = 3 });

        Assert.True(result.Healthy);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(200, result.StatusCode);
    }

    [Fact]
    public async Task A_503_without_retries_is_unhealthy()
    {
        var result = await CheckOne(new Uri(_servers.Http, $"/flaky/{Guid.NewGuid():N}"));

        Assert.False(result.Healthy);
        Assert.Equal(503, result.StatusCode);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task Retries_stop_at_the_limit_and_report_every_attempt()
    {
        var result = await CheckOne(new Uri(_servers.Http, "/error"), Quick with { Retries = 2 });

        Assert.False(result.Healthy);
        Assert.Equal(3, result.Attempts);
    }

    [Fact]
    public async Task A_slow_endpoint_times_out_with_advice()
    {
        var result = await CheckOne(new Uri(_servers.Http, "/slow"), Quick with { Timeout = TimeSpan.FromMilliseconds(300) });

        Assert.False(result.Healthy);
        Assert.Null(result.StatusCode);
        Assert.Contains("No answer within 0.3 s", result.Error);
    }

    [Fact]
    public async Task A_refused_connection_is_unhealthy_and_asks_whether_the_service_runs()
    {
        var result = await CheckOne(_servers.Refused);

        Assert.False(result.Healthy);
        Assert.Null(result.StatusCode);
        Assert.Contains("Connection refused", result.Error);
    }

    [Fact]
    public async Task A_self_signed_certificate_is_rejected_by_default()
    {
        var result = await CheckOne(new Uri(_servers.Https, "/ok"));

        Assert.False(result.Healthy);
        Assert.Contains("TLS", result.Error);
        Assert.Contains("-SkipCertificateCheck", result.Error);
    }

    [Fact]
    public async Task A_self_signed_certificate_is_accepted_when_the_user_skips_the_check()
    {
        var result = await CheckOne(new Uri(_servers.Https, "/ok"), Quick with { SkipCertificateCheck = true });

        Assert.True(result.Healthy);
    }

    [Fact]
    public async Task A_bearer_token_is_sent_and_never_appears_in_the_result()
    {
        var good = await CheckOne(new Uri(_servers.Http, "/auth"), token: new Secret(LoopbackServers.Token, "test"));
        var wrongValue = "wrong-" + Guid.NewGuid().ToString("N");
        var bad = await CheckOne(new Uri(_servers.Http, "/auth"), token: new Secret(wrongValue, "test"));

        Assert.True(good.Healthy);
        Assert.False(bad.Healthy);
        Assert.Equal(401, bad.StatusCode);
        Assert.DoesNotContain(wrongValue, bad.ToString());
    }

    [Fact]
    public async Task All_services_are_checked_at_once_and_reported_in_the_given_order()
    {
        // Each endpoint answers only once all ten requests have arrived, so a sequential checker would time out.
        var gate = Guid.NewGuid().ToString("N");
        var targets = Enumerable.Range(0, 10)
            .Select(i => new HealthTarget("staging", $"svc-{i}", $"Service {i}", new Uri(_servers.Http, $"/gate/{gate}/10")))
            .ToList();
        var progress = new List<ProgressUpdate>();

        var results = await HealthChecker.CheckAsync(targets, Quick with { Timeout = TimeSpan.FromSeconds(15) }, new OperationHost(_ => { }, _ => { }, progress.Add), CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Healthy, r.Error));
        Assert.Equal(targets.Select(t => t.Service), results.Select(r => r.Service));
        Assert.True(progress.Last().Completed);
    }

    [Fact]
    public async Task Cancelling_stops_the_check()
    {
        using var cancel = new CancellationTokenSource();
        var check = HealthChecker.CheckAsync(
            [new HealthTarget("staging", "slow", "Slow", new Uri(_servers.Http, "/slow"))], Quick with { Timeout = TimeSpan.FromSeconds(30) }, OperationHost.Silent, cancel.Token);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check);
    }

    private static async Task<HealthResult> CheckOne(Uri url, HealthCheckOptions? options = null, Secret? token = null)
    {
        var results = await HealthChecker.CheckAsync(
            [new HealthTarget("staging", "api-gateway", "API Gateway", url, token)], options ?? Quick, OperationHost.Silent, CancellationToken.None);
        return Assert.Single(results);
    }
}
