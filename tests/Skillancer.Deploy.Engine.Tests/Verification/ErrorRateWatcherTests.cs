using k8s;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;
using Skillancer.Deploy.Engine.Verification.ErrorRate;
using Skillancer.Deploy.Sandbox.Prometheus;

namespace Skillancer.Deploy.Engine.Tests.Verification;

/// <summary>Watch-SkErrorRate's engine against a real Prometheus that scrapes the sandbox every second.</summary>
public class ErrorRateWatcherTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_good_version_stays_Ok_and_the_watch_passes()
    {
        var environment = await ScrapedEnvironmentAsync();
        var samples = new List<ErrorRateSample>();

        var summary = await ErrorRateWatcher.WatchAsync(Request(environment, TimeSpan.FromSeconds(3), "web"), samples.Add, OperationHost.Silent, CancellationToken.None);

        Assert.Equal(WatchVerdict.Passed, summary.Verdict);
        Assert.Equal(4, samples.Count); // at 0, 1, 2 and 3 s
        Assert.All(samples, s => Assert.Equal(ErrorRateLevel.Ok, s.Level));
        Assert.All(samples, s => Assert.InRange(s.Rate!.Value, 0.001, 0.01));
        Assert.All(samples, s => Assert.Contains($"namespace=\"{environment.Kubernetes.Namespace}\",service=\"web\"", s.Query, StringComparison.Ordinal));
        Assert.Equal(0, summary.Breaches);
        Assert.False(summary.RollbackConfirmed);
    }

    [Fact]
    public async Task A_faulty_version_climbs_to_ImmediateRollback_and_fails_the_watch()
    {
        var environment = await ScrapedEnvironmentAsync();
        var samples = new List<ErrorRateSample>();
        var warnings = new List<string>();
        var host = new OperationHost(_ => { }, warnings.Add, _ => { });

        await sandbox.RollOutAsync(environment, "market-svc", "v1.2.3-faulty");
        var summary = await ErrorRateWatcher.WatchAsync(Request(environment, TimeSpan.FromSeconds(60), "market-svc"), samples.Add, host, CancellationToken.None);

        Assert.Equal(WatchVerdict.Failed, summary.Verdict);
        Assert.True(summary.RollbackConfirmed);
        Assert.Equal(ErrorRateLevel.ImmediateRollback, samples[^1].Level);
        Assert.True(samples[^1].Rate > 0.10);
        Assert.Equal(0.10, samples[^1].Threshold);
        Assert.Equal(ErrorRateLevel.ImmediateRollback, summary.WorstLevel);
        Assert.Contains(warnings, w => w.Contains("Runbook: \"Error rate > 10%: Immediate rollback\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailureLimit_needs_that_many_ImmediateRollback_samples_in_a_row()
    {
        var environment = await ScrapedEnvironmentAsync();
        var samples = new List<ErrorRateSample>();

        await sandbox.RollOutAsync(environment, "auth-svc", "v1.2.3-faulty");
        var summary = await ErrorRateWatcher.WatchAsync(
            Request(environment, TimeSpan.FromSeconds(60), "auth-svc") with { FailureLimit = 3 }, samples.Add, OperationHost.Silent, CancellationToken.None);

        Assert.Equal(WatchVerdict.Failed, summary.Verdict);
        Assert.All(samples.TakeLast(3), s => Assert.Equal(ErrorRateLevel.ImmediateRollback, s.Level));
        Assert.Contains("in 3 sample(s) in a row", summary.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAt_ends_the_watch_at_the_first_sample_at_or_above_that_level()
    {
        var environment = await ScrapedEnvironmentAsync();
        var samples = new List<ErrorRateSample>();

        await sandbox.RollOutAsync(environment, "skillpod-svc", "v1.2.3-faulty");
        var summary = await ErrorRateWatcher.WatchAsync(
            Request(environment, TimeSpan.FromSeconds(60), "skillpod-svc") with { StopAt = ErrorRateLevel.Investigate }, samples.Add, OperationHost.Silent, CancellationToken.None);

        Assert.Equal(WatchVerdict.Failed, summary.Verdict);
        Assert.True(samples[^1].Level >= ErrorRateLevel.Investigate);
        Assert.All(samples.SkipLast(1), s => Assert.True(s.Level < ErrorRateLevel.Investigate));
        Assert.Contains("-StopAt Investigate", summary.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_traffic_is_Unknown_never_Ok_and_ends_the_watch_as_Inconclusive()
    {
        var environment = await ScrapedEnvironmentAsync();
        var samples = new List<ErrorRateSample>();
        using (var cluster = sandbox.Connect(environment))
        {
            await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
                new k8s.Models.V1Patch("{\"spec\":{\"replicas\":0}}", k8s.Models.V1Patch.PatchType.MergePatch), "web", environment.Kubernetes.Namespace);
        }

        // Once the 5 s window holds no request, errors / requests is 0 / 0.
        await Eventually.TrueAsync(async () => (await ReadAsync(environment, "web")).Unknown?.Contains("zero traffic", StringComparison.Ordinal) == true);
        var summary = await ErrorRateWatcher.WatchAsync(
            Request(environment, TimeSpan.FromSeconds(30), "web") with { InconclusiveLimit = 2 }, samples.Add, OperationHost.Silent, CancellationToken.None);

        Assert.Equal(WatchVerdict.Inconclusive, summary.Verdict);
        Assert.Equal(2, samples.Count);
        Assert.All(samples, s => Assert.Equal(ErrorRateLevel.Unknown, s.Level));
        Assert.All(samples, s => Assert.Null(s.Rate));
        Assert.All(samples, s => Assert.Contains("zero traffic", s.Reason, StringComparison.Ordinal));
        Assert.Null(summary.MaxRate);
    }

    [Fact]
    public async Task An_empty_result_and_an_infinite_value_are_Unknown_with_the_reason()
    {
        var environment = await ScrapedEnvironmentAsync();
        var empty = new List<ErrorRateSample>();
        var infinite = new List<ErrorRateSample>();

        await ErrorRateWatcher.WatchAsync(Request(environment, Second, null) with { Query = "http_requests_total{service=\"no-such-service\"}" }, empty.Add, OperationHost.Silent, CancellationToken.None);
        await ErrorRateWatcher.WatchAsync(Request(environment, Second, null) with { Query = "vector(1) / vector(0)" }, infinite.Add, OperationHost.Silent, CancellationToken.None);

        Assert.All(empty, s => Assert.Contains("no data", s.Reason, StringComparison.Ordinal));
        Assert.All(infinite, s => Assert.Contains("+Inf", s.Reason, StringComparison.Ordinal));
        Assert.All(empty.Concat(infinite), s => Assert.Equal(ErrorRateLevel.Unknown, s.Level));
    }

    [Fact]
    public async Task A_query_Prometheus_cannot_parse_is_an_error_that_quotes_Prometheus()
    {
        var environment = await ScrapedEnvironmentAsync();

        var failure = await Assert.ThrowsAsync<DeployException>(() => ErrorRateWatcher.WatchAsync(
            Request(environment, Second, null) with { Query = "sum(rate(http_errors_total[1m]" }, _ => { }, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(PrometheusQuery.QueryInvalid, failure.ErrorId);
        Assert.Contains("parse error", failure.Message, StringComparison.Ordinal);
        Assert.Contains("sum(rate(http_errors_total[1m]", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_stopped_mid_watch_gives_Unknown_and_the_watch_recovers_when_it_is_back()
    {
        var environment = await ScrapedEnvironmentAsync();
        await using var prometheus = (await PrometheusServer.TryStartAsync(sandbox.Admin.BaseAddress!.Authority, ["web"], TextWriter.Null, CancellationToken.None))!;
        var own = environment with { Prometheus = environment.Prometheus! with { Url = prometheus.Url } };
        await Eventually.TrueAsync(async () => (await ReadAsync(own, "web")).Value is not null);
        var samples = new List<ErrorRateSample>();
        using var done = new CancellationTokenSource();
        Task? outage = null;

        void OnSample(ErrorRateSample sample)
        {
            samples.Add(sample);
            if (samples.Count == 2)
            {
                outage = StopThenStartAsync();
            }
            else if (sample.Level == ErrorRateLevel.Ok && samples.Any(s => s.Level == ErrorRateLevel.Unknown))
            {
                done.Cancel();
            }
        }

        async Task StopThenStartAsync()
        {
            await prometheus.StopAsync();
            await Eventually.TrueAsync(() => Task.FromResult(samples.Count(s => s.Level == ErrorRateLevel.Unknown) >= 2));
            await prometheus.StartAsync(CancellationToken.None);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ErrorRateWatcher.WatchAsync(
            Request(own, TimeSpan.FromSeconds(90), "web") with { InconclusiveLimit = 1000 }, OnSample, OperationHost.Silent, done.Token));
        await outage!;

        Assert.Equal(ErrorRateLevel.Ok, samples[0].Level);
        Assert.Contains(samples, s => s.Level == ErrorRateLevel.Unknown && s.Reason!.Contains("Prometheus unreachable", StringComparison.Ordinal));
        Assert.Equal(ErrorRateLevel.Ok, samples[^1].Level);
    }

    [Fact]
    public async Task A_watch_that_cannot_work_is_refused_before_any_query()
    {
        var environment = await ScrapedEnvironmentAsync();

        var tooLong = await Assert.ThrowsAsync<DeployException>(() => ErrorRateWatcher.WatchAsync(
            new ErrorRateWatchRequest(environment, [], Second, TimeSpan.FromSeconds(5)), _ => { }, OperationHost.Silent, CancellationToken.None));
        var noPrometheus = await Assert.ThrowsAsync<DeployException>(() => ErrorRateWatcher.WatchAsync(
            Request(environment with { Prometheus = null }, Second, null), _ => { }, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(ErrorRateWatcher.InvalidWatch, tooLong.ErrorId);
        Assert.Contains("-Interval", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorRateQueries.PrometheusNotConfigured, noPrometheus.ErrorId);
    }

    private static ErrorRateWatchRequest Request(EnvironmentConfig environment, TimeSpan duration, string? service) =>
        new(environment, service is null ? [] : [environment.Service(service)], duration, Second);

    // A namespace of its own whose services Prometheus has scraped long enough to give a rate.
    private async Task<EnvironmentConfig> ScrapedEnvironmentAsync()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        Assert.True(environment.Prometheus is not null, "the sandbox runs no Prometheus; install it (apt-get install prometheus)");
        foreach (var service in environment.Services)
        {
            await Eventually.TrueAsync(async () => (await ReadAsync(environment, service.Name)).Value is not null);
        }

        return environment;
    }

    private static async Task<PrometheusReading> ReadAsync(EnvironmentConfig environment, string service)
    {
        using var client = new HttpClient();
        return await PrometheusQuery.ReadAsync(client, environment.Prometheus!.Url, ErrorRateQueries.For(environment, environment.Service(service), null), Second, OperationHost.Silent, CancellationToken.None);
    }
}
