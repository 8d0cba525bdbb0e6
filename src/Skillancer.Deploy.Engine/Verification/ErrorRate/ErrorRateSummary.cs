namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>How a watch of the error rate ended, over all its samples.</summary>
public sealed record ErrorRateSummary
{
    /// <summary>The environment watched.</summary>
    public required string Environment { get; init; }

    /// <summary>The services watched; empty for the whole environment.</summary>
    public required IReadOnlyList<string> Services { get; init; }

    /// <summary>Passed, Failed or Inconclusive.</summary>
    public required WatchVerdict Verdict { get; init; }

    /// <summary>True when ImmediateRollback was confirmed (-FailureLimit samples in a row): the runbook says roll back now.</summary>
    public required bool RollbackConfirmed { get; init; }

    /// <summary>Why the watch ended with this verdict.</summary>
    public required string Reason { get; init; }

    /// <summary>The highest rate read, or null when none was.</summary>
    public double? MaxRate { get; init; }

    /// <summary>The mean of the rates read, or null when none was.</summary>
    public double? MeanRate { get; init; }

    /// <summary>The worst level seen.</summary>
    public required ErrorRateLevel WorstLevel { get; init; }

    /// <summary>How many samples were taken (Unknown ones included).</summary>
    public required int Samples { get; init; }

    /// <summary>How many samples were above a threshold (Investigate or worse).</summary>
    public required int Breaches { get; init; }

    /// <summary>How many samples were Unknown.</summary>
    public required int Unknown { get; init; }

    /// <summary>How long the watch ran.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The services rolled back by -AutoRollback; empty when none was.</summary>
    public IReadOnlyList<string> RolledBack { get; init; } = [];
}
