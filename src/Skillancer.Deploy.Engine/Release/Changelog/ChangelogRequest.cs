namespace Skillancer.Deploy.Engine.Release.Changelog;

/// <summary>What Update-SkChangelog was asked to do.</summary>
/// <param name="Path">A folder inside the repository.</param>
/// <param name="Version">The release's version; defaults to package.json's.</param>
/// <param name="Since">The ref to count commits from; defaults to the previous release branch.</param>
/// <param name="ChangelogPath">The file; defaults to CHANGELOG.md at the repository root.</param>
/// <param name="Date">The release date; defaults to today (UTC).</param>
/// <param name="Remote">The remote whose release branches count as previous releases.</param>
/// <param name="Force">Replace a different section that already exists for the version.</param>
/// <param name="Commit">Commit the changelog, alone, as "docs(changelog): vX.Y.Z".</param>
/// <param name="Push">Push the branch to <paramref name="Remote"/> after the commit (implies <paramref name="Commit"/>).</param>
public sealed record ChangelogRequest(
    string Path,
    string? Version = null,
    string? Since = null,
    string? ChangelogPath = null,
    DateOnly? Date = null,
    string Remote = "origin",
    bool Force = false,
    bool Commit = false,
    bool Push = false);
