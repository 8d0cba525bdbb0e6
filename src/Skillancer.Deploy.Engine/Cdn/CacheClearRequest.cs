using Skillancer.Deploy.Engine.Configuration;

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
}
