namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>
/// One analysis of a progressive canary: the canary and stable tracks compared over one interval, on the same metrics
/// at the same time, and what that decided.
/// </summary>
public sealed record CanarySample
{
    /// <summary>When the interval analysed ended.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The step (1-based) the canary was at.</summary>
    public required int Step { get; init; }

    /// <summary>The canary's share of traffic, in percent.</summary>
    public required int Weight { get; init; }

    /// <summary>The canary's error ratio over the interval (the mean of its per-scrape samples); null without data.</summary>
    public double? CanaryErrorRatio { get; init; }

    /// <summary>Stable's error ratio over the same interval; null without data.</summary>
    public double? StableErrorRatio { get; init; }

    /// <summary>The canary's p95 latency in seconds (the median of its per-scrape samples); null when the service exports no latency histogram.</summary>
    public double? CanaryP95 { get; init; }

    /// <summary>Stable's p95 latency in seconds; null without a histogram.</summary>
    public double? StableP95 { get; init; }

    /// <summary>The one-sided Mann-Whitney p-value that the canary's error ratios are higher than stable's; null when not tested.</summary>
    public double? ErrorPValue { get; init; }

    /// <summary>The one-sided Mann-Whitney p-value that the canary's p95 latencies are higher than stable's; null when not tested.</summary>
    public double? LatencyPValue { get; init; }

    /// <summary>The smaller of the two p-values: the strongest evidence that the canary is worse.</summary>
    public double? PValue => (ErrorPValue, LatencyPValue) switch
    {
        (null, var latency) => latency,
        (var error, null) => error,
        (var error, var latency) => Math.Min(error.Value, latency.Value),
    };

    /// <summary>The canary's requests in the step so far.</summary>
    public required double CanaryRequests { get; init; }

    /// <summary>What the comparison decided.</summary>
    public required CanaryVerdict Verdict { get; init; }

    /// <summary>Why, in words: each check that failed, or what made it inconclusive.</summary>
    public required string Reason { get; init; }
}
