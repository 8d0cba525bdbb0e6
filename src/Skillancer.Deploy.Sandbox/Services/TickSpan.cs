namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// A stretch of time the traffic is counted over: some seconds within one whole-second tick (whose noise
/// applies), or, with no tick, time too long ago for anyone to have sampled it in detail (expected values).
/// </summary>
internal readonly record struct TickSpan(double Seconds, long? Tick)
{
    /// <summary>How many whole seconds before the end of an interval still get a tick's noise: more than a 5 s window holds.</summary>
    public const int NoisyTicks = 10;

    /// <summary>
    /// The interval from <paramref name="from"/> to <paramref name="to"/>, cut at whole seconds of the clock;
    /// what lies more than <see cref="NoisyTicks"/> seconds before <paramref name="to"/> is one span without a
    /// tick, so that a long quiet interval costs no more than a short one. Empty when no time has passed.
    /// </summary>
    public static IReadOnlyList<TickSpan> Between(DateTimeOffset from, DateTimeOffset to)
    {
        var start = from.UtcTicks;
        var end = to.UtcTicks;
        if (end <= start)
        {
            return [];
        }

        var spans = new List<TickSpan>(2);
        var noisyFrom = ((end / TimeSpan.TicksPerSecond) - NoisyTicks) * TimeSpan.TicksPerSecond;
        if (start < noisyFrom)
        {
            spans.Add(new TickSpan(ToSeconds(noisyFrom - start), null));
            start = noisyFrom;
        }

        while (start < end)
        {
            var tick = start / TimeSpan.TicksPerSecond;
            var next = Math.Min((tick + 1) * TimeSpan.TicksPerSecond, end);
            spans.Add(new TickSpan(ToSeconds(next - start), tick));
            start = next;
        }

        return spans;
    }

    private static double ToSeconds(long ticks) => (double)ticks / TimeSpan.TicksPerSecond;
}
