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
    /// <summary>The charts of a canary that ended: each step's start and the decision (promoted, aborted, declined) marked.</summary>
    public static IReadOnlyList<RecordChart> Of(CanaryRun run, ErrorRateThresholds thresholds, CanaryAnalysisSettings analysis) =>
        Of(run.Service, run.Version, run.Samples,
            [.. StepMarks(run.Steps), new ChartMark(run.Started + run.Duration, run.Outcome.ToString().ToLowerInvariant())],
            thresholds, analysis);

    /// <summary>The start of each step that says when it started.</summary>
    public static IEnumerable<ChartMark> StepMarks(IEnumerable<CanaryStepResult> steps) =>
        steps.Where(s => s.StartedAt is not null).Select(s => StepMark(s.Step, s.Weight, s.StartedAt!.Value));

    /// <summary>A step's start, as the charts mark it: <c>step 2: 25%</c>.</summary>
    public static ChartMark StepMark(int step, int weight, DateTimeOffset startedAt) => new(startedAt, $"step {step}: {weight}%");

    /// <summary>
    /// The two charts of a canary's analyses so far (the latency one only when a histogram gave data), with
    /// <paramref name="marks"/>; none before its first analysis.
    /// </summary>
    public static IReadOnlyList<RecordChart> Of(string service, string version, IReadOnlyList<CanarySample> samples, IReadOnlyList<ChartMark> marks,
        ErrorRateThresholds thresholds, CanaryAnalysisSettings analysis)
    {
        if (samples.Count == 0)
        {
            return [];
        }

        var increase = analysis.MaxErrorRatioIncrease;
        List<RecordChart> charts =
        [
            new()
            {
                Title = $"{service} {version}: error ratio, canary against stable",
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
                Title = $"{service} {version}: p95 latency, canary against stable",
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
