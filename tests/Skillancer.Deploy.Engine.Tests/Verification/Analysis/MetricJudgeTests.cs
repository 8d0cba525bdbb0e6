using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification.Analysis;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Tests.Verification.Analysis;

public class MetricJudgeTests
{
    private static readonly ErrorRateThresholds Runbook = ErrorRateThresholds.Runbook;

    // Ten per-scrape samples around a centre, with a little spread, as a histogram quantile gives them.
    private static double[] Around(double centre, double spread = 0.02) =>
        [.. Enumerable.Range(0, 10).Select(i => centre * (1 + (spread * ((i % 5) - 2) / 2)))];

    [Fact]
    public void Latency_twice_as_high_and_significant_is_Regressed()
    {
        var judged = MetricJudge.Judge(ComparedMetric.P95, Around(0.080), Around(0.160), Runbook);

        Assert.Equal(MetricVerdict.Regressed, judged.Verdict);
        Assert.Equal(0.080, judged.Before!.Value, 3);
        Assert.Equal(0.160, judged.After!.Value, 3);
        Assert.Equal(1.0, judged.Change!.Value, 2);
        Assert.True(judged.PValue < 0.001);
        Assert.Contains("worse, and significant", judged.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Latency_halved_and_significant_is_Improved()
    {
        var judged = MetricJudge.Judge(ComparedMetric.P99, Around(0.200), Around(0.100), Runbook);

        Assert.Equal(MetricVerdict.Improved, judged.Verdict);
        Assert.Equal(-0.5, judged.Change!.Value, 2);
    }

    [Fact]
    public void A_significant_latency_change_within_20_percent_is_Normal()
    {
        var judged = MetricJudge.Judge(ComparedMetric.P50, Around(0.080, 0.01), Around(0.090, 0.01), Runbook);

        Assert.True(judged.PValue < 0.05);
        Assert.Equal(MetricVerdict.Normal, judged.Verdict);
        Assert.Contains("within 20%", judged.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_large_change_that_is_not_significant_is_Normal()
    {
        // Three samples each, overlapping: the exact two-sided p is far above 0.05 although the medians differ by 50%.
        var judged = MetricJudge.Judge(ComparedMetric.P95, [0.05, 0.10, 0.30], [0.04, 0.15, 0.40], Runbook);

        Assert.True(judged.PValue >= 0.05);
        Assert.Equal(MetricVerdict.Normal, judged.Verdict);
        Assert.Contains("not significant", judged.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_ratio_more_than_half_a_point_worse_is_Regressed_and_its_change_is_in_points()
    {
        var judged = MetricJudge.Judge(ComparedMetric.ErrorRatio, Around(0.005), Around(0.015), Runbook);

        Assert.Equal(MetricVerdict.Regressed, judged.Verdict);
        Assert.Equal(0.010, judged.Change!.Value, 3);
        Assert.Equal("mean", MetricJudge.Statistic(ComparedMetric.ErrorRatio));
    }

    [Fact]
    public void Error_ratio_slightly_worse_is_Normal_below_the_threshold_and_Regressed_above_it()
    {
        var below = MetricJudge.Judge(ComparedMetric.ErrorRatio, Around(0.010, 0.01), Around(0.013, 0.01), Runbook);
        var above = MetricJudge.Judge(ComparedMetric.ErrorRatio, Around(0.049, 0.01), Around(0.052, 0.01), Runbook);

        Assert.Equal(MetricVerdict.Normal, below.Verdict);
        Assert.Equal(MetricVerdict.Regressed, above.Verdict);
        Assert.Contains("consider rollback", above.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_ratio_more_than_half_a_point_better_is_Improved()
    {
        var judged = MetricJudge.Judge(ComparedMetric.ErrorRatio, Around(0.02), Around(0.005), Runbook);

        Assert.Equal(MetricVerdict.Improved, judged.Verdict);
    }

    [Fact]
    public void A_traffic_drop_of_more_than_half_is_Regressed_and_a_rise_stays_Normal()
    {
        var drop = MetricJudge.Judge(ComparedMetric.RequestRate, Around(200), Around(60), Runbook);
        var rise = MetricJudge.Judge(ComparedMetric.RequestRate, Around(100), Around(300), Runbook);
        var small = MetricJudge.Judge(ComparedMetric.RequestRate, Around(100), Around(70), Runbook);

        Assert.Equal(MetricVerdict.Regressed, drop.Verdict);
        Assert.Equal(MetricVerdict.Normal, rise.Verdict);
        Assert.Contains("more traffic, not a regression", rise.Reason, StringComparison.Ordinal);
        Assert.Equal(MetricVerdict.Normal, small.Verdict);
    }

    [Fact]
    public void Cpu_and_memory_use_a_20_percent_margin()
    {
        Assert.Equal(MetricVerdict.Regressed, MetricJudge.Judge(ComparedMetric.Cpu, Around(0.5), Around(0.7), Runbook).Verdict);
        Assert.Equal(MetricVerdict.Normal, MetricJudge.Judge(ComparedMetric.Memory, Around(100e6), Around(110e6), Runbook).Verdict);
        Assert.Equal(MetricVerdict.Improved, MetricJudge.Judge(ComparedMetric.Memory, Around(100e6), Around(70e6), Runbook).Verdict);
    }

    [Fact]
    public void Too_few_samples_on_either_side_is_NoData_with_the_reason_never_Normal()
    {
        var none = MetricJudge.Judge(ComparedMetric.P95, [], Around(0.08), Runbook, noBefore: "the query returned no data in the window");
        var two = MetricJudge.Judge(ComparedMetric.ErrorRatio, Around(0.01), [0.01, 0.01], Runbook);

        Assert.Equal(MetricVerdict.NoData, none.Verdict);
        Assert.Null(none.PValue);
        Assert.Contains("before window", none.Reason, StringComparison.Ordinal);
        Assert.Contains("no data in the window", none.Reason, StringComparison.Ordinal);
        Assert.Equal(MetricVerdict.NoData, two.Verdict);
        Assert.Contains("after window", two.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Identical_samples_are_Normal()
    {
        var judged = MetricJudge.Judge(ComparedMetric.P95, Around(0.08), Around(0.08), Runbook);

        Assert.Equal(MetricVerdict.Normal, judged.Verdict);
        Assert.Equal(0, judged.Change!.Value, 6);
    }
}

public class ComparisonRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static EnvironmentConfig Staging(bool prometheus = true) => new()
    {
        Name = "staging", Registry = "r", Thresholds = ErrorRateThresholds.Runbook, Monitor = MonitorSettings.Runbook,
        Kubernetes = new KubernetesSettings(null, null, "staging"), ConfigPath = "/tmp/skdeploy.yml",
        Services = [new ServiceConfig { Name = "web", Environment = "staging", DisplayName = "Web", Tier = ServiceTier.Frontend, Deployment = "web", Container = "web", Image = "skillancer/web" }],
        Prometheus = prometheus
            ? new PrometheusSettings(new Uri("http://127.0.0.1:9090/"), PrometheusSettings.DefaultErrorRateQuery, PrometheusSettings.DefaultServiceErrorRateQuery)
            : null,
    };

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void A_baseline_of_zero_or_less_is_InvalidComparisonWindow(int seconds)
    {
        var environment = Staging();
        var request = new ComparisonRequest(environment, environment.Services, Now.AddHours(-1), TimeSpan.FromSeconds(seconds));

        var error = Assert.Throws<DeployException>(() => request.Validate(Now));

        Assert.Equal(ComparisonRequest.InvalidComparisonWindow, error.ErrorId);
        Assert.Contains("-Baseline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Since_in_the_future_is_InvalidComparisonWindow()
    {
        var environment = Staging();
        var error = Assert.Throws<DeployException>(() => new ComparisonRequest(environment, environment.Services, Now.AddMinutes(5), TimeSpan.FromHours(1)).Validate(Now));

        Assert.Equal(ComparisonRequest.InvalidComparisonWindow, error.ErrorId);
        Assert.Contains("in the future", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_prometheus_section_is_PrometheusNotConfigured()
    {
        var environment = Staging(prometheus: false);
        var error = Assert.Throws<DeployException>(() => new ComparisonRequest(environment, environment.Services, Now.AddHours(-1), TimeSpan.FromHours(1)).Validate(Now));

        Assert.Equal(ErrorRateQueries.PrometheusNotConfigured, error.ErrorId);
    }

    [Fact]
    public void A_valid_request_passes_and_its_queries_fill_in_namespace_service_and_window()
    {
        var environment = Staging();
        var request = new ComparisonRequest(environment, environment.Services, Now.AddHours(-1), TimeSpan.FromMinutes(30)).Validate(Now);
        var queries = MetricComparer.Metrics(environment, request.Services[0], TimeSpan.FromSeconds(75)).ToDictionary(m => m.Metric, m => m.Query);

        Assert.Equal(7, queries.Count);
        Assert.Equal(PrometheusSettings.DefaultServiceErrorRateQuery.Replace("{service}", "web", StringComparison.Ordinal), queries[ComparedMetric.ErrorRatio]);
        Assert.Equal("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace=\"staging\",service=\"web\"}[75s])))", queries[ComparedMetric.P95]);
        Assert.Contains("container_cpu_usage_seconds_total{namespace=\"staging\",pod=~\"web-.*\"", queries[ComparedMetric.Cpu], StringComparison.Ordinal);
        Assert.Equal("sum(rate(http_requests_total{namespace=\"staging\",service=\"web\"}[75s]))", queries[ComparedMetric.RequestRate]);
    }
}
