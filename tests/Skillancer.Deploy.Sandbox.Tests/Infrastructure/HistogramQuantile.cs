namespace Skillancer.Deploy.Sandbox.Tests.Infrastructure;

/// <summary>
/// A quantile from the growth of cumulative histogram buckets between two readings, worked out as
/// Prometheus' <c>histogram_quantile</c> does: the bucket that holds the rank, and linear interpolation
/// within it (from 0 for the first bucket).
/// </summary>
public static class HistogramQuantile
{
    /// <summary>The <paramref name="quantile"/> (0 to 1) of the requests counted between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static double Of(double quantile, IReadOnlyList<(double Le, double Count)> before, IReadOnlyList<(double Le, double Count)> after)
    {
        var growth = after.Select((b, i) => (b.Le, Count: b.Count - before[i].Count)).ToList();
        var rank = quantile * growth[^1].Count;
        for (var i = 0; i < growth.Count; i++)
        {
            if (growth[i].Count >= rank)
            {
                if (double.IsPositiveInfinity(growth[i].Le))
                {
                    return growth[i - 1].Le;
                }

                var (lower, below) = i == 0 ? (0.0, 0.0) : (growth[i - 1].Le, growth[i - 1].Count);
                return lower + ((growth[i].Le - lower) * (rank - below) / (growth[i].Count - below));
            }
        }

        return double.NaN;
    }
}
