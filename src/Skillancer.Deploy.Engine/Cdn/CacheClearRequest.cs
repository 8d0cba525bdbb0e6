using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Cdn;

/// <summary>What Clear-SkCdnCache was asked to do.</summary>
/// <param name="Environment">The environment whose distribution (cdn:) is invalidated.</param>
/// <param name="Paths">The paths: each starts with '/' and may end with one '*'.</param>
public sealed record CacheClearRequest(EnvironmentConfig Environment, IReadOnlyList<string> Paths)
{
    /// <summary>The version deployed, part of the clear's identity; null for a clear of no particular version.</summary>
    public string? Version { get; init; }

    /// <summary>An AWS profile instead of cdn.profile or the SDK's default chain.</summary>
    public string? Profile { get; init; }

    /// <summary>Wait until CloudFront reports the invalidation Completed.</summary>
    public bool Wait { get; init; }

    /// <summary>How long <see cref="Wait"/> waits.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often <see cref="Wait"/> asks CloudFront.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock that decides whether a rerun falls inside cdn.dedupeWindow (tests move it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Checks every part of the request before anything is sent: the paths, and (when waiting) a timeout
    /// that is positive and at least one poll long. Returns the distinct paths, in order.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var paths = Paths.Distinct(StringComparer.Ordinal).ToList();
        CloudFrontInvalidations.Validate(paths);
        TimeoutCheck.RequireInterval(PollInterval, "PollInterval");
        if (Wait)
        {
            TimeoutCheck.Require(Timeout, PollInterval, "Timeout", "waiting for the invalidation");
        }

        return paths;
    }
}
