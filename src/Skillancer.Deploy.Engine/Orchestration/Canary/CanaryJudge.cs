using System.Globalization;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Verification.Analysis;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>
/// Decides one interval of a canary, from the samples alone. Too little canary traffic in the step
/// (<c>minRequests</c>), or no error ratio for a track, is Inconclusive: never a pass. Otherwise a check fails when
/// the canary's error ratio is above the runbook's consider-rollback threshold; or when it is higher than stable's by
/// more than <c>maxErrorRatioIncrease</c>, or its p95 latency more than <c>maxLatencyIncrease</c> above stable's, and
/// the Mann-Whitney U test says the canary's samples are higher at the <c>confidence</c> asked. The error ratio is the
/// mean of the per-scrape samples; the p95 their median (a histogram quantile over a short window jumps).
/// </summary>
public static class CanaryJudge
{
    /// <summary>The verdict of one interval, with its numbers; <see cref="CanarySample.Timestamp"/>, step and weight are the caller's.</summary>
    public static CanarySample Judge(CanaryObservation seen, CanaryAnalysisSettings settings, ErrorRateThresholds thresholds, DateTimeOffset at, int step, int weight)
    {
        var sample = new CanarySample
        {
            Timestamp = at,
            Step = step,
            Weight = weight,
            CanaryErrorRatio = SampleStatistics.Mean(seen.CanaryErrorRatios),
            StableErrorRatio = SampleStatistics.Mean(seen.StableErrorRatios),
            CanaryP95 = SampleStatistics.Median(seen.CanaryLatencies),
            StableP95 = SampleStatistics.Median(seen.StableLatencies),
            CanaryRequests = seen.CanaryRequests,
            Verdict = CanaryVerdict.Inconclusive,
            Reason = string.Empty,
        };
        if (seen.CanaryRequests < settings.MinRequests)
        {
            return sample with { Reason = Invariant($"{seen.CanaryRequests:0} canary requests in this step, fewer than minRequests {settings.MinRequests}: too little traffic to judge") };
        }

        if (sample is not { CanaryErrorRatio: { } canary, StableErrorRatio: { } stable })
        {
            return sample with { Reason = $"no error ratio for the {(sample.CanaryErrorRatio is null ? "canary" : "stable")} track: {seen.Unknown ?? "Prometheus had no samples"}" };
        }

        var failures = new List<string>();
        if (canary > thresholds.ConsiderRollback)
        {
            failures.Add($"canary error ratio {ErrorRateJudge.Percent(canary)} is above the runbook's {ErrorRateJudge.Percent(thresholds.ConsiderRollback)} (consider rollback)");
        }

        var errorTest = MannWhitney.Test(seen.CanaryErrorRatios, seen.StableErrorRatios, Alternative.Greater);
        if (canary - stable > settings.MaxErrorRatioIncrease && errorTest.PValue < settings.Alpha)
        {
            failures.Add(Invariant($"canary error ratio {ErrorRateJudge.Percent(canary)} is {(canary - stable) * 100:0.##} points above stable's {ErrorRateJudge.Percent(stable)} (p = {errorTest.PValue:0.####})"));
        }

        double? latencyP = null;
        if (sample is { CanaryP95: { } slow, StableP95: { } usual })
        {
            var latencyTest = MannWhitney.Test(seen.CanaryLatencies, seen.StableLatencies, Alternative.Greater);
            latencyP = latencyTest.PValue;
            if (slow > usual * (1 + settings.MaxLatencyIncrease) && latencyTest.PValue < settings.Alpha)
            {
                failures.Add(Invariant($"canary p95 {slow * 1000:0} ms is {(slow / usual - 1) * 100:0}% above stable's {usual * 1000:0} ms (p = {latencyTest.PValue:0.####})"));
            }
        }

        sample = sample with { ErrorPValue = errorTest.PValue, LatencyPValue = latencyP };
        return failures.Count > 0
            ? sample with { Verdict = CanaryVerdict.Fail, Reason = string.Join("; ", failures) }
            : sample with { Verdict = CanaryVerdict.Pass, Reason = sample.CanaryP95 is null ? "no worse than stable (error ratio; the service exports no latency histogram)" : "no worse than stable" };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
