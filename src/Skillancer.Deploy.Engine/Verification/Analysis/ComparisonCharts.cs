using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Verification.Analysis;

/// <summary>
/// The post-deployment review as the record's charts: for each service, its error ratio and its p95 latency over the
/// window before the deployment and the window after it, the deployment marked between them, and the same after window
/// a week earlier drawn over it (shifted a week), so that a regression shows as a step at the mark.
/// </summary>
public static class ComparisonCharts
{
    private static readonly ComparedMetric[] Charted = [ComparedMetric.ErrorRatio, ComparedMetric.P95];

    /// <summary>A chart per service and charted metric that has data in some window.</summary>
    public static IReadOnlyList<RecordChart> Of(IEnumerable<MetricComparison> rows) =>
        [.. rows
            .Where(r => Charted.Contains(r.Metric))
            .GroupBy(r => (r.Service, r.Metric))
            .Select(Chart)
            .OfType<RecordChart>()];

    private static RecordChart? Chart(IGrouping<(string Service, ComparedMetric Metric), MetricComparison> rows)
    {
        var previous = rows.FirstOrDefault(r => r.Against == ComparisonBaseline.PreviousWindow);
        var lastWeek = rows.FirstOrDefault(r => r.Against == ComparisonBaseline.LastWeek);
        var after = previous ?? lastWeek;
        if (after is null)
        {
            return null;
        }

        ChartSeries[] series =
        [
            Series("before", previous?.BeforePoints, TimeSpan.Zero),
            Series("after", after.AfterPoints, TimeSpan.Zero),
            Series("a week earlier", lastWeek?.BeforePoints, ComparisonRequest.WeekEarlier),
        ];
        if (series.All(s => s.Points.Count == 0))
        {
            return null;
        }

        var (service, metric) = rows.Key;
        return new RecordChart
        {
            Title = $"{service}: {(metric == ComparedMetric.P95 ? "p95 latency" : "error ratio")}, before and after the deployment",
            Unit = metric == ComparedMetric.P95 ? ChartUnit.Seconds : ChartUnit.Ratio,
            Series = [.. series.Where(s => s.Points.Count > 0)],
            Marks = [new ChartMark(previous?.BeforeEnd ?? after.AfterStart, "deployed")],
        };
    }

    private static ChartSeries Series(string name, IReadOnlyList<PrometheusPoint>? points, TimeSpan shift) =>
        new(name, [.. (points ?? []).Select(p => new ChartPoint(p.At + shift, p.Value))]);
}
