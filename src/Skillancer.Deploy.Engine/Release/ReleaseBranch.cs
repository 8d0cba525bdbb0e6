namespace Skillancer.Deploy.Engine.Release;

/// <summary>One release branch, as Get-SkRelease lists it: its version and where it exists.</summary>
public sealed record ReleaseBranch
{
    /// <summary>The version, without a 'v': 1.2.3.</summary>
    public required string Version { get; init; }

    /// <summary>The tag spelling: v1.2.3.</summary>
    public required string Tag { get; init; }

    /// <summary>The branch: release/v1.2.3.</summary>
    public required string Branch { get; init; }

    /// <summary>Whether the branch exists locally.</summary>
    public required bool Local { get; init; }

    /// <summary>Whether the remote has it (as last fetched).</summary>
    public required bool Remote { get; init; }

    /// <summary>The commit the branch points at (the local one when both exist).</summary>
    public required string Commit { get; init; }

    /// <summary>Whether the local and remote branches point at the same commit; null when only one exists.</summary>
    public bool? InSync { get; init; }

    /// <summary>When that commit was made, in UTC.</summary>
    public required DateTimeOffset CommittedAt { get; init; }

    /// <summary>The commit's subject, e.g. chore(release): v1.2.3.</summary>
    public required string Subject { get; init; }

    /// <summary>The repository's top-level folder.</summary>
    public required string Repository { get; init; }
}
