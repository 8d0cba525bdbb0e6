using System.Globalization;
using MathNet.Numerics.Distributions;
using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// How long the services take to answer: a log-normal distribution around the image's median
/// (<see cref="ImageRules.MedianLatency"/>) with a spread of <see cref="Sigma"/>, cut into the buckets of
/// the <c>http_request_duration_seconds</c> histogram. A good version's p95 is about 0.14 s, a slow one's
/// twice that. The bucket shares are worked out once, for every behaviour at every step of the median's
/// noise, so serving a tick costs additions only.
/// </summary>
internal static class LatencyHistogram
{
    /// <summary>The spread of the log-normal distribution (the standard deviation of the latency's logarithm).</summary>
    public const double Sigma = 0.35;

    /// <summary>How far, in steps, the median may move from its image's value in one tick (each way).</summary>
    public const int NoiseSteps = 10;

    /// <summary>The median's change per step of noise: 0.5%, so 10 steps are ±5%.</summary>
    public const double NoiseStep = 0.005;

    /// <summary>The buckets' upper bounds in seconds, without +Inf (which holds every request).</summary>
    public static IReadOnlyList<double> Bounds { get; } = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5];

    /// <summary>The bounds as the <c>le</c> label writes them.</summary>
    public static IReadOnlyList<string> BoundLabels { get; } = [.. Bounds.Select(b => b.ToString(CultureInfo.InvariantCulture))];

    private static readonly LatencyShares[,] Table = Build();

    /// <summary>
    /// The shares of a behaviour's requests under each bound, and their mean latency, with the median moved
    /// by <paramref name="step"/> noise steps (-<see cref="NoiseSteps"/> to +<see cref="NoiseSteps"/>).
    /// </summary>
    public static LatencyShares For(ImageBehaviour behaviour, int step) => Table[(int)behaviour, Math.Clamp(step, -NoiseSteps, NoiseSteps) + NoiseSteps];

    private static LatencyShares[,] Build()
    {
        var behaviours = Enum.GetValues<ImageBehaviour>();
        var table = new LatencyShares[behaviours.Length, (2 * NoiseSteps) + 1];
        foreach (var behaviour in behaviours)
        {
            for (var step = -NoiseSteps; step <= NoiseSteps; step++)
            {
                var mu = Math.Log(ImageRules.MedianLatency(behaviour) * (1 + (step * NoiseStep)));
                var shares = Bounds.Select(bound => LogNormal.CDF(mu, Sigma, bound)).ToArray();
                table[(int)behaviour, step + NoiseSteps] = new LatencyShares(shares, Math.Exp(mu + (Sigma * Sigma / 2)));
            }
        }

        return table;
    }
}
