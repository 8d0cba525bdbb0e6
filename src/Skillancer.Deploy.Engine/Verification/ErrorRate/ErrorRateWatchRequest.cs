using Skillancer.Deploy.Engine.Configuration;

namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>
/// What to watch and when to stop: the environment, the services (none for the environment as a whole),
/// how long and how often, the thresholds, and the limits that end the watch early.
/// </summary>
public sealed record ErrorRateWatchRequest(EnvironmentConfig Environment, IReadOnlyList<ServiceConfig> Services, TimeSpan Duration, TimeSpan Interval)
{
    /// <summary>The levels; defaults to the environment's thresholds.</summary>
    public ErrorRateThresholds? Thresholds { get; init; }

    /// <summary>How many ImmediateRollback samples in a row fail the watch.</summary>
    public int FailureLimit { get; init; } = 1;

    /// <summary>How many Unknown samples in a row end the watch as Inconclusive.</summary>
    public int InconclusiveLimit { get; init; } = 3;

    /// <summary>End the watch (Failed) at the first sample at or above this level; null to watch on.</summary>
    public ErrorRateLevel? StopAt { get; init; }

    /// <summary>PromQL to use instead of the configured query (placeholders allowed).</summary>
    public string? Query { get; init; }

    /// <summary>Accept any TLS certificate from Prometheus.</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>The thresholds in force.</summary>
    public ErrorRateThresholds EffectiveThresholds => Thresholds ?? Environment.Thresholds;
}
