using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>
/// A progressive canary as the record's charts: the canary's and stable's error ratio, then their p95 latency, one
/// point per analysis, with the limits the judge applied (the runbook's consider-rollback threshold, stable plus
/// <c>maxErrorRatioIncrease</c>, stable's p95 plus <c>maxLatencyIncrease</c>), each step's start and the decision marked.
/// </summary>
internal static class CanaryCharts
{
    /// <summary>The two charts of a canary that was analysed (the latency one only when a histogram gave data); none without analyses.</summary>
    public static IReadOnlyList<RecordChart> Of(CanaryRun run, ErrorRateThresholds thresholds, CanaryAnalysisSettings analysis)
    {
        var samples = run.Samples;
        if (samples.Count == 0)
        {
            return [];
        }

        List<ChartMark> marks = [.. run.Steps.Where(s => s.StartedAt is not null).Select(s => new ChartMark(s.StartedAt!.Value, $"step {s.Step}: {s.Weight}%"))];
        marks.Add(new ChartMark(run.Started + run.Duration, run.Outcome.ToString().ToLowerInvariant()));
        var increase = analysis.MaxErrorRatioIncrease;
        List<RecordChart> charts =
        [
            new()
            {
                Title = $"{run.Service} {run.Version}: error ratio, canary against stable",
                Unit = ChartUnit.Ratio,
                Series =
                [
                    Series("canary", samples, s => s.CanaryErrorRatio),
                    Series("stable", samples, s => s.StableErrorRatio),
                    Series(FormattableString.Invariant($"limit: stable + {increase * 100:0.##} points"), samples, s => s.StableErrorRatio + increase) with { Limit = true },
                ],
                Thresholds = [new ChartThreshold("consider rollback", thresholds.ConsiderRollback)],
                Marks = marks,
            },
        ];
        if (samples.Any(s => s.CanaryP95 is not null || s.StableP95 is not null))
        {
            charts.Add(new RecordChart
            {
                Title = $"{run.Service} {run.Version}: p95 latency, canary against stable",
                Unit = ChartUnit.Seconds,
                Series =
                [
                    Series("canary", samples, s => s.CanaryP95),
                    Series("stable", samples, s => s.StableP95),
                    Series(FormattableString.Invariant($"limit: stable + {analysis.MaxLatencyIncrease * 100:0.##}%"), samples, s => s.StableP95 * (1 + analysis.MaxLatencyIncrease)) with { Limit = true },
                ],
                Marks = marks,
            });
        }

        return charts;
    }

    private static ChartSeries Series(string name, IEnumerable<CanarySample> samples, Func<CanarySample, double?> value) =>
        new(name, [.. samples.Where(s => value(s) is not null).Select(s => new ChartPoint(s.Timestamp, value(s)!.Value))]);
}
