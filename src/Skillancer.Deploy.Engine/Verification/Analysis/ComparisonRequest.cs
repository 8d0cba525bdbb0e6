using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Verification.Analysis;

/// <summary>
/// A post-deployment review: the services of an environment, the deployment's time (<see cref="Since"/>) and how long a
/// window to compare on each side of it (<see cref="Baseline"/>).
/// </summary>
/// <param name="Environment">The environment; it needs a prometheus section.</param>
/// <param name="Services">The services to compare (the environment's, or those named).</param>
/// <param name="Since">When the deployment finished: the after window starts here.</param>
/// <param name="Baseline">How long each window is: the after window is [Since, Since + Baseline] (or up to now when that is sooner), the before window as long, just before Since.</param>
public sealed record ComparisonRequest(EnvironmentConfig Environment, IReadOnlyList<ServiceConfig> Services, DateTimeOffset Since, TimeSpan Baseline)
{
    /// <summary>Error id: -Since in the future, -Baseline zero or less, or no service to compare.</summary>
    public const string InvalidComparisonWindow = "InvalidComparisonWindow";

    /// <summary>Error id: less than <see cref="MetricJudge.MinimumSamples"/> scrapes have passed since -Since.</summary>
    public const string ComparisonWindowTooShort = "ComparisonWindowTooShort";

    /// <summary>The default window on each side: an hour.</summary>
    public static TimeSpan DefaultBaseline { get; } = TimeSpan.FromHours(1);

    /// <summary>How far back the second baseline lies: a week.</summary>
    public static TimeSpan WeekEarlier { get; } = TimeSpan.FromDays(7);

    /// <summary>Accept any TLS certificate from Prometheus.</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>Checks the request against <paramref name="now"/> (the clock when null); throws InvalidComparisonWindow or PrometheusNotConfigured before anything is asked.</summary>
    public ComparisonRequest Validate(DateTimeOffset? now = null)
    {
        var clock = now ?? DateTimeOffset.UtcNow;
        string? problem =
            Baseline <= TimeSpan.Zero ? $"-Baseline must be more than zero (e.g. 1h, 30m); it is {Baseline}"
            : Since > clock ? $"-Since ({Since.UtcDateTime:u}) is in the future (it is now {clock.UtcDateTime:u}); give the time the deployment finished"
            : Services.Count == 0 ? $"environment '{Environment.Name}' has no services to compare"
            : null;
        if (problem is not null)
        {
            throw new DeployException(InvalidComparisonWindow, DeployErrorCategory.InvalidArgument, problem + ".", this);
        }

        ErrorRateQueries.Settings(Environment);
        return this;
    }
}
