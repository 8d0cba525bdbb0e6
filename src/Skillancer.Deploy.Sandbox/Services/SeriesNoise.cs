using System.Text;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// The noise of one series (namespace, service, track), so that per-scrape samples of a ratio or a
/// quantile vary as a real service's do: for each one-second tick, a factor on the errors the series
/// serves (uniform within ±<see cref="ErrorSpread"/> of the expected count) and a step of its median
/// latency (uniform within ±<see cref="LatencyHistogram.NoiseSteps"/> steps, ±5%). Both average out to
/// the image's values, so a good canary and its stable track look alike over time. The generator is
/// seeded from a stable hash of the series' key (FNV-1a: string.GetHashCode differs from process to
/// process), so each series has a sequence of its own, the same in every run.
/// </summary>
internal sealed class SeriesNoise
{
    /// <summary>
    /// How far a tick's errors stray from the expected count, as a fraction of it. Small enough that a
    /// 5 s window never crosses the error-rate watch's thresholds the wrong way: a good version (0.5%)
    /// stays under 0.65%, a faulty or erroring one (15%) over 10.5%.
    /// </summary>
    public const double ErrorSpread = 0.3;

    private readonly Random _random;
    private long _tick = long.MinValue;

    /// <summary>The noise of the series named by <paramref name="key"/>.</summary>
    public SeriesNoise(string key) => _random = new Random(Seed(key));

    /// <summary>The factor on the expected errors in the current tick (1 before the first).</summary>
    public double ErrorFactor { get; private set; } = 1;

    /// <summary>The steps the median latency moves in the current tick (0 before the first).</summary>
    public int LatencyStep { get; private set; }

    /// <summary>Draws the noise of <paramref name="tick"/> when it is later than the current one; keeps the current noise otherwise.</summary>
    public void MoveTo(long tick)
    {
        if (tick <= _tick)
        {
            return;
        }

        _tick = tick;
        ErrorFactor = 1 + (((2 * _random.NextDouble()) - 1) * ErrorSpread);
        LatencyStep = _random.Next(-LatencyHistogram.NoiseSteps, LatencyHistogram.NoiseSteps + 1);
    }

    // FNV-1a (64 bits) of the key's UTF-8 bytes, folded to the 32 bits Random takes.
    private static int Seed(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return (int)(hash ^ (hash >> 32));
    }
}
