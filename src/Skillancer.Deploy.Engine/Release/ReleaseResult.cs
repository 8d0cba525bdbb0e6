namespace Skillancer.Deploy.Engine.Release;

/// <summary>A release that New-SkRelease created. Its Version binds to -Version of the rollout cmdlets.</summary>
public sealed record ReleaseResult
{
    /// <summary>The version, without a 'v': 1.2.3.</summary>
    public required string Version { get; init; }

    /// <summary>The tag spelling: v1.2.3.</summary>
    public required string Tag { get; init; }

    /// <summary>The release branch: release/v1.2.3.</summary>
    public required string Branch { get; init; }

    /// <summary>The branch the release was cut from.</summary>
    public required string BaseBranch { get; init; }

    /// <summary>The release commit.</summary>
    public required string Commit { get; init; }

    /// <summary>The version before the release.</summary>
    public required string PreviousVersion { get; init; }

    /// <summary>Whether the branch was pushed (false with -NoPush).</summary>
    public required bool Pushed { get; init; }

    /// <summary>The files the release commit changed, relative to the repository.</summary>
    public required IReadOnlyList<string> ChangedFiles { get; init; }

    /// <summary>The repository's top-level folder.</summary>
    public required string Repository { get; init; }
}
