namespace Skillancer.Deploy.Engine.Release.Changelog;

/// <summary>What CHANGELOG.md says about one version: whether the file and its section exist, and the section's entries.</summary>
/// <param name="Version">The version looked for, without a 'v'.</param>
/// <param name="Path">The changelog file looked in.</param>
/// <param name="FileExists">Whether that file exists.</param>
/// <param name="SectionFound">Whether it has a section for the version.</param>
/// <param name="Entries">The section's list items in file order (every heading: Breaking Changes, Added, Changed, Fixed, ...), each once.</param>
public sealed record ChangelogExcerpt(string Version, string Path, bool FileExists, bool SectionFound, IReadOnlyList<string> Entries);
