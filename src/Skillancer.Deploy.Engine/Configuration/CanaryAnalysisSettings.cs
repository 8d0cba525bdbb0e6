using System.Globalization;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>
/// How a progressive canary is judged (<c>services[].canary.analysis</c>): the traffic steps, how long each is watched
/// and how often analysed, and what counts as worse than stable. The defaults are the runbook's Canary Deployment:
/// 5% of traffic for an hour, then gradually more.
/// </summary>
public sealed record CanaryAnalysisSettings
{
    /// <summary>The runbook's canary: steps 5, 25, 50, 100, an hour each, analysed every minute.</summary>
    public static CanaryAnalysisSettings Runbook { get; } = new();

    /// <summary>Error id: steps, durations or limits that cannot make a canary.</summary>
    public const string InvalidAnalysis = "InvalidCanaryAnalysis";

    /// <summary>The canary's share of traffic at each step, in percent, rising, ending at 100 (the promotion).</summary>
    public IReadOnlyList<int> Steps { get; init; } = [5, 25, 50, 100];

    /// <summary>How long each step is watched before the next (<c>stepDuration</c>; the runbook's "monitor for 1 hour").</summary>
    public TimeSpan StepDuration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often the canary is compared with stable during a step.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed checks, over the whole canary, that abort it.</summary>
    public int FailureLimit { get; init; } = 2;

    /// <summary>Canary requests a step needs before it can pass; fewer make it Inconclusive.</summary>
    public int MinRequests { get; init; } = 200;

    /// <summary>How many times an Inconclusive step is watched again (one more step duration each) before the canary is aborted.</summary>
    public int MaxStepExtensions { get; init; } = 2;

    /// <summary>How much higher the canary's error ratio may be than stable's, absolute (0.005 = half a percentage point).</summary>
    public double MaxErrorRatioIncrease { get; init; } = 0.005;

    /// <summary>How much higher the canary's p95 latency may be than stable's, relative (0.2 = 20%).</summary>
    public double MaxLatencyIncrease { get; init; } = 0.2;

    /// <summary>How sure the Mann-Whitney U test must be that the canary is worse before a difference counts.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>The significance level: a one-sided p-value below it counts.</summary>
    public double Alpha => 1 - Confidence;

    /// <summary>
    /// Refuses steps that do not rise from 1 to 100, an interval longer than a step or under a second, and limits out of
    /// range (InvalidCanaryAnalysis, naming where they came from in <paramref name="source"/>), before anything changes.
    /// </summary>
    public CanaryAnalysisSettings Validate(string source) => Problem() is { } problem
        ? throw new DeployException(InvalidAnalysis, DeployErrorCategory.InvalidArgument,
            $"The canary analysis cannot work: {problem.What} ({source}). Give {problem.Expected}.", source)
        : this;

    /// <summary>What makes these settings unusable, and what would work instead; null when they are fine.</summary>
    public (string What, string Expected)? Problem()
    {
        if (Steps.Count == 0 || Steps.Any(s => s is < 1 or > 100) || Steps.Zip(Steps.Skip(1)).Any(p => p.Second <= p.First) || Steps[^1] != 100)
        {
            return ($"the steps {string.Join(", ", Steps)} do not rise from 1 to 100", "rising percentages that end at 100 (the promotion), e.g. 5, 25, 50, 100");
        }

        if (Interval < TimeSpan.FromSeconds(1) || Interval > StepDuration)
        {
            return ($"the interval {DurationParser.Format(Interval)} does not fit the step duration {DurationParser.Format(StepDuration)}",
                "an interval of at least 1s and no longer than a step");
        }

        if (FailureLimit < 1 || MinRequests < 0 || MaxStepExtensions < 0 || MaxErrorRatioIncrease is < 0 or > 1 || MaxLatencyIncrease < 0 || Confidence is <= 0.5 or >= 1)
        {
            return (string.Create(CultureInfo.InvariantCulture,
                $"failureLimit {FailureLimit}, minRequests {MinRequests}, maxStepExtensions {MaxStepExtensions}, maxErrorRatioIncrease {MaxErrorRatioIncrease}, maxLatencyIncrease {MaxLatencyIncrease} or confidence {Confidence} is out of range"),
                "failureLimit ≥ 1, minRequests ≥ 0, maxStepExtensions ≥ 0, maxErrorRatioIncrease 0 to 1, maxLatencyIncrease ≥ 0, confidence between 0.5 and 1");
        }

        return null;
    }
}
