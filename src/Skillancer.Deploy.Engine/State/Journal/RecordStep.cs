namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>One step of a recorded action: a service rolled out or back, a canary weight, a lock broken.</summary>
public sealed record RecordStep
{
    /// <summary>What the step did to what, e.g. <c>rollout web</c>.</summary>
    public required string Name { get; init; }

    /// <summary>How it ended, in the result's own words (Complete, Failed, RolledBack, Skipped...).</summary>
    public required string Status { get; init; }

    /// <summary>True when the step failed.</summary>
    public bool Failed { get; init; }

    /// <summary>True for a step that puts back what an earlier one changed (a rollback of -UndoOnFailure).</summary>
    public bool Undo { get; init; }

    /// <summary>When it started, for a deployment run's steps: a run resumed during its watch watches only what is left.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>How long it took, when the result said.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>What happened; cut to <see cref="RecordCodec.DetailLimit"/> characters (then <see cref="DetailSha256"/> keeps the whole text's digest).</summary>
    public string Detail { get; init; } = string.Empty;

    /// <summary>The SHA-256 of the whole detail, when it was cut; null when it is whole.</summary>
    public string? DetailSha256 { get; init; }
}
