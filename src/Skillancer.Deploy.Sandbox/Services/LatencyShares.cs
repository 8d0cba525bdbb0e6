namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// The cumulative share of requests that finish within each of <see cref="LatencyHistogram.Bounds"/>
/// (non-decreasing, at most 1), and the mean latency in seconds.
/// </summary>
internal sealed record LatencyShares(IReadOnlyList<double> CumulativeShares, double MeanSeconds);
