namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>One reading of an error rate: what Prometheus said, and where that stands against the thresholds.</summary>
public sealed record ErrorRateSample
{
    /// <summary>When the query was evaluated (UTC).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The environment watched.</summary>
    public required string Environment { get; init; }

    /// <summary>The service watched, or null for the whole environment.</summary>
    public string? Service { get; init; }

    /// <summary>Errors over requests, as a fraction (0.012 is 1.2%); null when Unknown.</summary>
    public double? Rate { get; init; }

    /// <summary>Where the rate stands against the thresholds.</summary>
    public required ErrorRateLevel Level { get; init; }

    /// <summary>The threshold this level is judged against: the one crossed, or for Ok the investigate threshold it stays under.</summary>
    public double? Threshold { get; init; }

    /// <summary>Why the level is Unknown; null otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>The PromQL sent.</summary>
    public required string Query { get; init; }
}
