using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>A watch of the error rate as the record's chart: each service's error ratio, sample by sample, under the runbook's three thresholds.</summary>
public static class ErrorRateCharts
{
    /// <summary>The chart of a watch's samples (a line per service, or one for the whole environment); null when no sample had a rate.</summary>
    public static RecordChart? Watch(string title, IEnumerable<ErrorRateSample> samples, ErrorRateThresholds thresholds)
    {
        var series = samples
            .Where(s => s.Rate is not null)
            .GroupBy(s => s.Service ?? "all services")
            .Select(g => new ChartSeries(g.Key, [.. g.OrderBy(s => s.Timestamp).Select(s => new ChartPoint(s.Timestamp, s.Rate!.Value))]))
            .ToArray();
        return series.Length == 0 ? null : new RecordChart
        {
            Title = title,
            Unit = ChartUnit.Ratio,
            Series = series,
            Thresholds =
            [
                new ChartThreshold("investigate", thresholds.Investigate),
                new ChartThreshold("consider rollback", thresholds.ConsiderRollback),
                new ChartThreshold("immediate rollback", thresholds.ImmediateRollback),
            ],
        };
    }
}
