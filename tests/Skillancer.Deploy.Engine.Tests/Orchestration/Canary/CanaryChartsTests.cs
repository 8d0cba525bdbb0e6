using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Orchestration.Canary;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.Verification.Analysis;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Tests.Orchestration.Canary;

/// <summary>What the runs measured, as the charts their records keep: a canary, a watch, a before-and-after review.</summary>
public class CanaryChartsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_canary_charts_its_error_ratio_and_p95_against_stable_with_the_limits_its_steps_and_its_decision()
    {
        var run = Run(CanaryOutcome.Aborted,
            Sample(1, 10, 0.004, 0.005, 0.30, 0.15),
            Sample(1, 10, 0.006, 0.004, 0.29, 0.14),
            Sample(2, 50, null, 0.004, null, 0.15));

        var charts = CanaryCharts.Of(run, ErrorRateThresholds.Runbook, CanaryAnalysisSettings.Runbook);

        Assert.Equal(["web v1.2.5: error ratio, canary against stable", "web v1.2.5: p95 latency, canary against stable"], charts.Select(c => c.Title));
        var errors = charts[0];
        Assert.Equal(ChartUnit.Ratio, errors.Unit);
        Assert.Equal(["canary", "stable", "limit: stable + 0.5 points"], errors.Series.Select(s => s.Name));
        Assert.Equal([0.004, 0.006], errors.Series[0].Points.Select(p => p.Value));   // an analysis without data draws no point
        Assert.Equal(0.005 + 0.005, errors.Series[2].Points[0].Value, 12);
        Assert.True(errors.Series[2].Limit);
        Assert.Equal(5, errors.PointCount);   // limits are not counted
        Assert.Equal(new ChartThreshold("consider rollback", 0.05), Assert.Single(errors.Thresholds));
        Assert.Equal(["step 1: 10%", "step 2: 50%", "aborted"], errors.Marks.Select(m => m.Label));
        Assert.Equal(Start + run.Duration, errors.Marks[^1].At);
        Assert.Equal(0.15 * 1.2, charts[1].Series[2].Points[0].Value, 12);
        Assert.Equal(ChartUnit.Seconds, charts[1].Unit);
    }

    [Fact]
    public void A_canary_without_latency_data_has_no_latency_chart_and_one_never_analysed_no_chart()
    {
        var noHistogram = Run(CanaryOutcome.Promoted, Sample(1, 10, 0.004, 0.005, null, null));

        Assert.Equal(["step 1: 10%", "promoted"], CanaryCharts.Of(noHistogram, ErrorRateThresholds.Runbook, CanaryAnalysisSettings.Runbook).Single().Marks.Select(m => m.Label));
        Assert.Empty(CanaryCharts.Of(Run(CanaryOutcome.Declined), ErrorRateThresholds.Runbook, CanaryAnalysisSettings.Runbook));
    }

    [Fact]
    public void A_watch_charts_each_services_rate_under_the_three_thresholds()
    {
        ErrorRateSample[] samples =
        [
            WatchSample("web", 0, 0.002), WatchSample("auth-svc", 0, 0.001), WatchSample("web", 5, null), WatchSample("web", 10, 0.03),
        ];

        var chart = ErrorRateCharts.Watch("staging v1.2.5: error ratio during the watch", samples, ErrorRateThresholds.Runbook)!;

        Assert.Equal(["web", "auth-svc"], chart.Series.Select(s => s.Name));
        Assert.Equal([0.002, 0.03], chart.Series[0].Points.Select(p => p.Value));
        Assert.Equal([0.01, 0.05, 0.10], chart.Thresholds.Select(t => t.Value));
        Assert.Null(ErrorRateCharts.Watch("none", [WatchSample("web", 0, null)], ErrorRateThresholds.Runbook));
    }

    [Fact]
    public void A_review_charts_before_and_after_with_the_deployment_marked_and_last_week_shifted_over_the_after_window()
    {
        var since = Start.AddMinutes(30);
        MetricComparison[] rows =
        [
            Row(ComparedMetric.P95, ComparisonBaseline.PreviousWindow, since, Points(since.AddMinutes(-10), 0.15, 0.14), Points(since.AddSeconds(1), 0.30, 0.31)),
            Row(ComparedMetric.P95, ComparisonBaseline.LastWeek, since, Points(since.AddSeconds(1) - ComparisonRequest.WeekEarlier, 0.16), Points(since.AddSeconds(1), 0.30, 0.31)),
            Row(ComparedMetric.Cpu, ComparisonBaseline.PreviousWindow, since, Points(since.AddMinutes(-10), 0.2), Points(since.AddSeconds(1), 0.2)),
            Row(ComparedMetric.ErrorRatio, ComparisonBaseline.PreviousWindow, since, [], []),
        ];

        var chart = Assert.Single(ComparisonCharts.Of(rows));

        Assert.Equal("market-svc: p95 latency, before and after the deployment", chart.Title);
        Assert.Equal(["before", "after", "a week earlier"], chart.Series.Select(s => s.Name));
        Assert.Equal(since.AddSeconds(1), chart.Series[2].Points[0].At);
        Assert.Equal(new ChartMark(since, "deployed"), Assert.Single(chart.Marks));
    }

    private static CanarySample Sample(int step, int weight, double? canary, double? stable, double? canaryP95, double? stableP95) => new()
    {
        Timestamp = Start.AddSeconds(step * 10),
        Step = step,
        Weight = weight,
        CanaryErrorRatio = canary,
        StableErrorRatio = stable,
        CanaryP95 = canaryP95,
        StableP95 = stableP95,
        CanaryRequests = 500,
        Verdict = CanaryVerdict.Pass,
        Reason = "no worse than stable",
    };

    private static CanaryRun Run(CanaryOutcome outcome, params CanarySample[] samples) => new()
    {
        Id = "20261204-100000-abcd",
        Environment = "staging",
        Service = "web",
        Version = "v1.2.5",
        StableImage = "skillancer/web:v1.2.4",
        Outcome = outcome,
        Weight = 0,
        Reason = "test",
        Started = Start,
        Duration = TimeSpan.FromSeconds(40),
        Steps = [.. samples.Select(s => s.Step).Distinct().Select(step => new CanaryStepResult(step, step == 1 ? 10 : 50, CanaryVerdict.Pass, 1, 0, TimeSpan.FromSeconds(10), "") { StartedAt = Start.AddSeconds((step - 1) * 10) })],
        Samples = samples,
    };

    private static ErrorRateSample WatchSample(string service, int second, double? rate) => new()
    {
        Timestamp = Start.AddSeconds(second),
        Environment = "staging",
        Service = service,
        Rate = rate,
        Level = rate is null ? ErrorRateLevel.Unknown : ErrorRateLevel.Ok,
        Query = "q",
    };

    private static PrometheusPoint[] Points(DateTimeOffset from, params double[] values) => [.. values.Select((v, i) => new PrometheusPoint(from.AddSeconds(i), v))];

    private static MetricComparison Row(ComparedMetric metric, ComparisonBaseline against, DateTimeOffset since, PrometheusPoint[] before, PrometheusPoint[] after) => new()
    {
        Environment = "staging",
        Service = "market-svc",
        Metric = metric,
        Against = against,
        Verdict = MetricVerdict.Normal,
        Reason = "r",
        Statistic = "median",
        Unit = "s",
        BeforeEnd = against == ComparisonBaseline.PreviousWindow ? since : since - ComparisonRequest.WeekEarlier,
        AfterStart = since.AddSeconds(1),
        Query = "q",
        BeforePoints = before,
        AfterPoints = after,
    };
}
