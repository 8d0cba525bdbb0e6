using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Verification.Analysis;

/// <summary>
/// One metric of one service, after a deployment against a baseline: the two windows' summaries (<see cref="Statistic"/>
/// says which: the mean for the error ratio and the request rate, the median of the per-scrape samples otherwise), the
/// change, the two-sided Mann-Whitney U p-value and the verdict, with the windows and the PromQL used.
/// </summary>
public sealed record MetricComparison
{
    /// <summary>The environment compared.</summary>
    public required string Environment { get; init; }

    /// <summary>The service compared.</summary>
    public required string Service { get; init; }

    /// <summary>The metric.</summary>
    public required ComparedMetric Metric { get; init; }

    /// <summary>What the after window is compared with: the window before the deployment, or the same window a week earlier.</summary>
    public required ComparisonBaseline Against { get; init; }

    /// <summary>The baseline window's summary (see <see cref="Statistic"/>); null when it has no samples.</summary>
    public double? Before { get; init; }

    /// <summary>The after window's summary; null when it has no samples.</summary>
    public double? After { get; init; }

    /// <summary>
    /// After against Before: for the error ratio the difference of the fractions (0.01 is one percentage point); for every other
    /// metric the relative change (0.5 is 50% higher). Null when either side is missing.
    /// </summary>
    public double? Change { get; init; }

    /// <summary>The two-sided Mann-Whitney U test's p-value of the two windows' samples; null when there are too few.</summary>
    public double? PValue { get; init; }

    /// <summary>Normal, Regressed, Improved or NoData.</summary>
    public required MetricVerdict Verdict { get; init; }

    /// <summary>Why: the change and its significance, or why there is no data.</summary>
    public required string Reason { get; init; }

    /// <summary>mean or median: how Before and After summarise their samples.</summary>
    public required string Statistic { get; init; }

    /// <summary>The unit of Before and After: ratio, req/s, s, cores or bytes.</summary>
    public required string Unit { get; init; }

    /// <summary>How many per-scrape samples the baseline window gave.</summary>
    public int BeforeSamples { get; init; }

    /// <summary>How many per-scrape samples the after window gave.</summary>
    public int AfterSamples { get; init; }

    /// <summary>The start of the baseline window.</summary>
    public DateTimeOffset BeforeStart { get; init; }

    /// <summary>The end of the baseline window.</summary>
    public DateTimeOffset BeforeEnd { get; init; }

    /// <summary>The start of the after window: the deployment.</summary>
    public DateTimeOffset AfterStart { get; init; }

    /// <summary>The end of the after window.</summary>
    public DateTimeOffset AfterEnd { get; init; }

    /// <summary>The baseline window's per-scrape samples, as the record's charts draw them.</summary>
    public IReadOnlyList<PrometheusPoint> BeforePoints { get; init; } = [];

    /// <summary>The after window's per-scrape samples.</summary>
    public IReadOnlyList<PrometheusPoint> AfterPoints { get; init; } = [];

    /// <summary>The PromQL asked of both windows.</summary>
    public required string Query { get; init; }

    /// <summary>The verdict in a word, for views and scripts.</summary>
    public override string ToString() => $"{Service} {Metric} vs {Against}: {Verdict}";
}
