namespace Skillancer.Deploy.Engine.Schedule;

/// <summary>Whether a deployment may start at a given instant, and why.</summary>
public sealed record WindowDecision
{
    /// <summary>The instant that was checked, in UTC.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The environment checked, or null for the schedule alone.</summary>
    public string? Environment { get; init; }

    /// <summary>True when a deployment may start at <see cref="At"/>.</summary>
    public required bool Allowed { get; init; }

    /// <summary>Why, in words: the window that allows it or the rule that forbids it.</summary>
    public required string Reason { get; init; }

    /// <summary>
    /// <see cref="Reason"/> in a few words, for views that have one narrow column for it: e.g.
    /// <c>in Tuesday 14:00-18:00</c>, <c>avoid Fridays</c>, <c>blackout: Black Friday campaign</c>.
    /// </summary>
    public string? Summary { get; init; }

    /// <summary>The window <see cref="At"/> falls in, e.g. <c>Tuesday 14:00-18:00</c>, or null.</summary>
    public string? Window { get; init; }

    /// <summary>When the current window closes, or null when outside a window.</summary>
    public DateTimeOffset? WindowEnd { get; init; }

    /// <summary>The next instant a deployment would be allowed (equal to <see cref="At"/> when allowed now).</summary>
    public DateTimeOffset? NextWindowStart { get; init; }

    /// <summary>True when an emergency overrode the schedule.</summary>
    public bool Emergency { get; init; }

    /// <summary>What the runbook asks of an emergency deployment; empty otherwise.</summary>
    public IReadOnlyList<string> Duties { get; init; } = [];
}
