using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>
/// What to watch and when to stop: the environment, the services (none for the environment as a whole),
/// how long and how often, the thresholds, and the limits that end the watch early.
/// </summary>
public sealed record ErrorRateWatchRequest(EnvironmentConfig Environment, IReadOnlyList<ServiceConfig> Services, TimeSpan Duration, TimeSpan Interval)
{
    /// <summary>A watch of <paramref name="services"/> (none: the whole environment), for -Duration and -Interval or the environment's monitor settings.</summary>
    public static ErrorRateWatchRequest For(EnvironmentConfig environment, IReadOnlyList<ServiceConfig> services, TimeSpan? duration, TimeSpan? interval) =>
        new(environment, services, duration ?? environment.Monitor.Duration, interval ?? environment.Monitor.Interval);

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

    /// <summary>Checks every part of the request; throws InvalidErrorRateWatch with the first problem, before anything is read.</summary>
    public ErrorRateWatchRequest Validate()
    {
        string? problem =
            Duration <= TimeSpan.Zero ? "-Duration must be more than zero (e.g. 30m)"
            : Interval <= TimeSpan.Zero ? "-Interval must be more than zero (e.g. 5s)"
            : Interval > Duration ? $"-Interval ({Interval}) is longer than -Duration ({Duration}); make the interval shorter"
            : FailureLimit < 1 ? "-FailureLimit must be 1 or more"
            : InconclusiveLimit < 1 ? "-InconclusiveLimit must be 1 or more"
            : StopAt is ErrorRateLevel.Unknown or ErrorRateLevel.Ok ? "-StopAt must be Investigate, ConsiderRollback or ImmediateRollback"
            : null;
        if (problem is not null)
        {
            throw new DeployException(ErrorRateWatcher.InvalidWatch, DeployErrorCategory.InvalidArgument, problem + ".", this);
        }

        return this;
    }
}
