using Skillancer.Deploy.Engine.Verification.Analysis;

namespace Skillancer.Deploy.Engine.Tests.Verification.Analysis;

public class MetricReviewSummaryTests
{
    [Fact]
    public void Normal_metrics_make_a_measured_all_normal_that_counts_what_had_no_data()
    {
        var summary = MetricComparer.Summary(
        [
            Row("web", ComparedMetric.P95, MetricVerdict.Normal),
            Row("web", ComparedMetric.ErrorRatio, MetricVerdict.Normal),
            Row("web", ComparedMetric.Cpu, MetricVerdict.NoData),
            Row("web", ComparedMetric.P95, MetricVerdict.Regressed, ComparisonBaseline.LastWeek),   // a week earlier does not count
        ]);

        Assert.Equal("all normal against the time before the rollout (2 metrics measured, 1 without data)", summary);
    }

    [Fact]
    public void A_regression_is_named_with_its_reason_and_no_data_at_all_is_never_normal()
    {
        var regressed = MetricComparer.Summary([Row("market-svc", ComparedMetric.P95, MetricVerdict.Regressed), Row("web", ComparedMetric.P95, MetricVerdict.Normal)]);
        var blind = MetricComparer.Summary([Row("web", ComparedMetric.P95, MetricVerdict.NoData)]);

        Assert.Equal("Regressed against the time before the rollout: market-svc P95 (why)", regressed);
        Assert.Equal("not measured: no metric had data in both windows", blind);
    }

    private static MetricComparison Row(string service, ComparedMetric metric, MetricVerdict verdict, ComparisonBaseline against = ComparisonBaseline.PreviousWindow) => new()
    {
        Environment = "staging",
        Service = service,
        Metric = metric,
        Against = against,
        Verdict = verdict,
        Reason = "why",
        Statistic = "median",
        Unit = "s",
        Query = "q",
    };
}
