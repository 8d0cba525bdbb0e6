using System.Globalization;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Verification.Analysis;

/// <summary>What <see cref="MetricJudge.Judge"/> decided for one metric.</summary>
/// <param name="Verdict">Normal, Regressed, Improved or NoData.</param>
/// <param name="Before">The baseline's summary (mean or median, <see cref="MetricJudge.Statistic"/>).</param>
/// <param name="After">The after window's summary.</param>
/// <param name="Change">Percentage points as a fraction for the error ratio, the relative change otherwise.</param>
/// <param name="PValue">The two-sided Mann-Whitney U p-value.</param>
/// <param name="Reason">Why.</param>
public sealed record MetricJudgement(MetricVerdict Verdict, double? Before, double? After, double? Change, double? PValue, string Reason);

/// <summary>
/// Decides a metric's verdict from the two windows' per-scrape samples alone. Regressed and Improved need both a
/// practical change and significance (a two-sided Mann-Whitney U test, p &lt; <see cref="Alpha"/>):
/// <list type="bullet">
/// <item>error ratio (the mean): more than <see cref="ErrorRatioMargin"/> (half a percentage point) worse or better, or
/// worse and above the runbook's consider-rollback threshold;</item>
/// <item>latency p50/p95/p99 (the median): more than <see cref="LatencyMargin"/> (20%) higher or lower;</item>
/// <item>CPU and memory (the median): more than <see cref="ResourceMargin"/> (20%) higher or lower;</item>
/// <item>request rate (the mean): a drop of more than <see cref="TrafficMargin"/> (50%) is Regressed (traffic lost after a
/// deployment means clients fail before they reach the service, or pods left the load balancer); a rise of as much is
/// reported in the reason but stays Normal (more load is not the release's fault; read latency against it). Request
/// rate is never Improved.</item>
/// </list>
/// Fewer than <see cref="MinimumSamples"/> samples on either side is NoData, never Normal.
/// </summary>
public static class MetricJudge
{
    /// <summary>The significance level: 0.05, for 95% confidence.</summary>
    public const double Alpha = 0.05;

    /// <summary>The fewest per-scrape samples a window needs.</summary>
    public const int MinimumSamples = 3;

    /// <summary>An error ratio change that matters: half a percentage point.</summary>
    public const double ErrorRatioMargin = 0.005;

    /// <summary>A latency change that matters: 20%.</summary>
    public const double LatencyMargin = 0.20;

    /// <summary>A CPU or memory change that matters: 20%.</summary>
    public const double ResourceMargin = 0.20;

    /// <summary>A request-rate change that matters: 50%.</summary>
    public const double TrafficMargin = 0.50;

    /// <summary>mean for the error ratio and the request rate (rates add up), median for the rest (a quantile over a short window jumps).</summary>
    public static string Statistic(ComparedMetric metric) => metric is ComparedMetric.ErrorRatio or ComparedMetric.RequestRate ? "mean" : "median";

    /// <summary>The unit of a metric's values.</summary>
    public static string Unit(ComparedMetric metric) => metric switch
    {
        ComparedMetric.ErrorRatio => "ratio",
        ComparedMetric.RequestRate => "req/s",
        ComparedMetric.Cpu => "cores",
        ComparedMetric.Memory => "bytes",
        _ => "s",
    };

    /// <summary>
    /// Judges <paramref name="after"/> against <paramref name="before"/>. <paramref name="noBefore"/> and <paramref name="noAfter"/> say why a
    /// side has no samples (Prometheus' reason), for the NoData reason.
    /// </summary>
    public static MetricJudgement Judge(ComparedMetric metric, IReadOnlyList<double> before, IReadOnlyList<double> after, ErrorRateThresholds thresholds, string? noBefore = null, string? noAfter = null)
    {
        var b = Summary(metric, before);
        var a = Summary(metric, after);
        if (before.Count < MinimumSamples || after.Count < MinimumSamples)
        {
            var side = before.Count < MinimumSamples ? "before" : "after";
            var count = Math.Min(before.Count, after.Count);
            var why = before.Count < MinimumSamples ? noBefore : noAfter;
            return new MetricJudgement(MetricVerdict.NoData, b, a, null, null,
                Invariant($"{count} sample(s) in the {side} window, fewer than {MinimumSamples}") + (why is null ? string.Empty : ": " + why));
        }

        var p = MannWhitney.Test(after, before, Alternative.TwoSided).PValue;
        var significant = p < Alpha;
        var (bv, av) = (b!.Value, a!.Value);
        var pText = Invariant($"p = {p:0.####}");
        if (metric == ComparedMetric.ErrorRatio)
        {
            var points = av - bv;
            var worse = points > ErrorRatioMargin || (points > 0 && av > thresholds.ConsiderRollback);
            var better = points < -ErrorRatioMargin;
            var what = Invariant($"error ratio {ErrorRateJudge.Percent(bv)} → {ErrorRateJudge.Percent(av)} ({points * 100:+0.##;-0.##;0} points)");
            var above = av > thresholds.ConsiderRollback ? $", above the runbook's {ErrorRateJudge.Percent(thresholds.ConsiderRollback)} (consider rollback)" : string.Empty;
            return Decide(worse, better, significant, bv, av, points, p, what + above, pText, Invariant($"within {ErrorRatioMargin * 100:0.#} points"));
        }

        var relative = bv == 0 ? (av == 0 ? 0 : double.PositiveInfinity) : (av / bv) - 1;
        var change = double.IsInfinity(relative) ? "from zero" : Invariant($"{relative * 100:+0;-0;0}%");
        var describe = Invariant($"{metric} {Format(metric, bv)} → {Format(metric, av)} ({change})");
        switch (metric)
        {
            case ComparedMetric.RequestRate:
                var drop = relative < -TrafficMargin;
                var rise = relative > TrafficMargin;
                var judged = Decide(drop, false, significant, bv, av, Finite(relative), p, describe, pText, Invariant($"within {TrafficMargin * 100:0}%"));
                return rise && significant ? judged with { Reason = $"{describe}: more traffic, not a regression ({pText})" } : judged;
            default:
                var margin = metric is ComparedMetric.Cpu or ComparedMetric.Memory ? ResourceMargin : LatencyMargin;
                return Decide(relative > margin, relative < -margin, significant, bv, av, Finite(relative), p, describe, pText, Invariant($"within {margin * 100:0}%"));
        }
    }

    private static MetricJudgement Decide(bool worse, bool better, bool significant, double before, double after, double? change, double p, string what, string pText, string within)
    {
        var verdict = !significant ? MetricVerdict.Normal : worse ? MetricVerdict.Regressed : better ? MetricVerdict.Improved : MetricVerdict.Normal;
        var reason = verdict switch
        {
            MetricVerdict.Regressed => $"{what}: worse, and significant ({pText})",
            MetricVerdict.Improved => $"{what}: better, and significant ({pText})",
            _ when worse || better => $"{what}, but not significant ({pText} ≥ {Alpha})",
            _ => $"{what}: {within}",
        };
        return new MetricJudgement(verdict, before, after, change, p, reason);
    }

    /// <summary>A value as the views show it: a percent, req/s, ms, cores or MiB.</summary>
    public static string Format(ComparedMetric metric, double value) => metric switch
    {
        ComparedMetric.ErrorRatio => ErrorRateJudge.Percent(value),
        ComparedMetric.RequestRate => Invariant($"{value:0.#} req/s"),
        ComparedMetric.Cpu => Invariant($"{value:0.###} cores"),
        ComparedMetric.Memory => Invariant($"{value / (1024 * 1024):0} MiB"),
        _ => Invariant($"{value * 1000:0} ms"),
    };

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static double? Summary(ComparedMetric metric, IReadOnlyList<double> values) =>
        Statistic(metric) == "mean" ? SampleStatistics.Mean(values) : SampleStatistics.Median(values);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
