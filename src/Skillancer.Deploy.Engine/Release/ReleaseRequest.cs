namespace Skillancer.Deploy.Engine.Release;

/// <summary>What New-SkRelease was asked to do.</summary>
/// <param name="Path">A folder inside the repository.</param>
/// <param name="Version">The version to release (1.2.3, v1.2.3, 1.3.0-rc.1), or null with <paramref name="Bump"/>.</param>
/// <param name="Bump">Which part of the current version to raise, or null with <paramref name="Version"/>.</param>
/// <param name="PreId">The pre-release identifier for <see cref="VersionBump.Prerelease"/>, e.g. rc.</param>
/// <param name="BaseBranch">The branch the release is cut from (the runbook's master).</param>
/// <param name="Remote">The remote to pull from and push to.</param>
/// <param name="NoPush">Stop after the commit.</param>
/// <param name="Force">Allow a version that is not greater than the current one.</param>
/// <param name="Workspaces">Also set the version of every workspace package.</param>
public sealed record ReleaseRequest(
    string Path,
    string? Version,
    VersionBump? Bump,
    string? PreId = null,
    string BaseBranch = "master",
    string Remote = "origin",
    bool NoPush = false,
    bool Force = false,
    bool Workspaces = false);
