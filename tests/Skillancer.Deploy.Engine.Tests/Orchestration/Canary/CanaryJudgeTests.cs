using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Orchestration.Canary;

namespace Skillancer.Deploy.Engine.Tests.Orchestration.Canary;

public class CanaryJudgeTests
{
    private static readonly CanaryAnalysisSettings Runbook = CanaryAnalysisSettings.Runbook;
    private static readonly double[] StableErrors = [0.004, 0.006, 0.005, 0.0045, 0.0055, 0.005, 0.006, 0.004];
    private static readonly double[] StableLatency = [0.140, 0.138, 0.143, 0.141, 0.139, 0.142, 0.140, 0.137];

    [Fact]
    public void A_canary_like_stable_passes_with_its_numbers_and_p_values()
    {
        var sample = Judge(new CanaryObservation([0.005, 0.0048, 0.0052, 0.006, 0.004, 0.005, 0.0051, 0.0049], StableErrors, [0.141, 0.139, 0.140, 0.142, 0.138, 0.143, 0.140, 0.139], StableLatency, 1000));

        Assert.Equal(CanaryVerdict.Pass, sample.Verdict);
        Assert.Equal(0.0050, sample.CanaryErrorRatio!.Value, 4);
        Assert.Equal(0.140, sample.CanaryP95!.Value, 4);   // the median of eight: (0.140 + 0.140) / 2
        Assert.True(sample.ErrorPValue > 0.05 && sample.LatencyPValue > 0.05);
        Assert.Equal((2, 10), (sample.Step, sample.Weight));
    }

    [Fact]
    public void An_error_ratio_above_the_runbook_consider_rollback_threshold_fails_even_without_significance()
    {
        var sample = Judge(new CanaryObservation([0.15], [0.005], [], [], 1000));

        Assert.Equal(CanaryVerdict.Fail, sample.Verdict);
        Assert.Contains("above the runbook's 5% (consider rollback)", sample.Reason);
    }

    [Fact]
    public void A_higher_error_ratio_fails_only_when_it_is_both_over_the_allowed_increase_and_significant()
    {
        double[] worse = [0.014, 0.016, 0.015, 0.013, 0.017, 0.015, 0.016, 0.014];
        var significant = Judge(new CanaryObservation(worse, StableErrors, [], [], 1000));
        var tooFew = Judge(new CanaryObservation(worse[..2], StableErrors[..2], [], [], 1000));
        var withinIncrease = Judge(new CanaryObservation([.. StableErrors.Select(e => e + 0.003)], StableErrors, [], [], 1000));

        Assert.Equal(CanaryVerdict.Fail, significant.Verdict);
        Assert.Contains("points above stable's", significant.Reason);
        Assert.True(significant.ErrorPValue < 0.05);
        Assert.Equal(CanaryVerdict.Pass, tooFew.Verdict);          // two samples each cannot reach p < 0.05
        Assert.True(tooFew.ErrorPValue >= 0.05);
        Assert.Equal(CanaryVerdict.Pass, withinIncrease.Verdict);  // significant, but only 0.3 points worse
    }

    [Fact]
    public void A_slow_canary_fails_on_latency_alone()
    {
        var sample = Judge(new CanaryObservation(StableErrors, StableErrors, [.. StableLatency.Select(l => l * 2)], StableLatency, 1000));

        Assert.Equal(CanaryVerdict.Fail, sample.Verdict);
        Assert.StartsWith("canary p95 280 ms is 100% above stable's 140 ms", sample.Reason);
        Assert.DoesNotContain("error ratio", sample.Reason);
        Assert.True(sample.LatencyPValue < 0.05);
    }

    [Fact]
    public void Too_little_canary_traffic_or_no_data_is_inconclusive_never_a_pass()
    {
        var quiet = Judge(new CanaryObservation([0.5], [0.005], [], [], 12));
        var blind = Judge(new CanaryObservation([], StableErrors, [], [], 1000, "the query returned no data"));

        Assert.Equal(CanaryVerdict.Inconclusive, quiet.Verdict);
        Assert.Contains("12 canary requests in this step, fewer than minRequests 200", quiet.Reason);
        Assert.Equal(CanaryVerdict.Inconclusive, blind.Verdict);
        Assert.Contains("no error ratio for the canary track: the query returned no data", blind.Reason);
    }

    [Fact]
    public void Without_a_latency_histogram_the_error_ratio_decides_and_the_sample_says_so()
    {
        var sample = Judge(new CanaryObservation(StableErrors, StableErrors, [], [], 1000));

        Assert.Equal(CanaryVerdict.Pass, sample.Verdict);
        Assert.Null(sample.LatencyPValue);
        Assert.Contains("no latency histogram", sample.Reason);
    }

    private static CanarySample Judge(CanaryObservation seen) =>
        CanaryJudge.Judge(seen, Runbook, ErrorRateThresholds.Runbook, DateTimeOffset.UnixEpoch, step: 2, weight: 10);
}
