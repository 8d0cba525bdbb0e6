namespace Skillancer.Deploy.Sandbox.Tests.Infrastructure;

/// <summary>A clock that moves only when the test moves it: the traffic's ticks without waiting for them.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock on by <paramref name="by"/>.</summary>
    public void Advance(TimeSpan by) => _now += by;
}
