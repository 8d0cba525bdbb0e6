namespace Skillancer.Deploy.Engine.Verification.Analysis;

/// <summary>The summaries the analyses give of a window's per-scrape samples: null for no samples.</summary>
public static class SampleStatistics
{
    /// <summary>The mean: for ratios and rates, which add up.</summary>
    public static double? Mean(IReadOnlyList<double> values) => values.Count == 0 ? null : values.Average();

    /// <summary>The median: for quantiles over short windows, which jump.</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
