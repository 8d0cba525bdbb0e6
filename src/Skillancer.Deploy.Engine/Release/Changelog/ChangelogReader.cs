using System.Text;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Release.Changelog;

/// <summary>Reads a version's entries back out of CHANGELOG.md, for a notice written later than the changelog.</summary>
public static class ChangelogReader
{
    /// <summary>
    /// The entries of <paramref name="version"/>'s section. The file is found as Update-SkChangelog
    /// finds it; an explicit <paramref name="changelogPath"/> that does not exist is <c>ChangelogNotFound</c>.
    /// </summary>
    public static async Task<ChangelogExcerpt> ReadAsync(string folder, string? changelogPath, string version, OperationHost host, CancellationToken cancellationToken)
    {
        var path = await ChangelogFile.LocateForReadingAsync(folder, changelogPath, host, cancellationToken).ConfigureAwait(false);
        var bare = version.Trim().TrimStart('v', 'V');
        if (!File.Exists(path))
        {
            if (changelogPath is not null)
            {
                throw new DeployException(ReleaseErrors.ChangelogNotFound, DeployErrorCategory.ObjectNotFound,
                    $"There is no changelog at '{path}'. Pass -ChangelogPath with the file (relative to the repository's top level), or leave it out to use CHANGELOG.md.", path);
            }

            return new ChangelogExcerpt(bare, path, FileExists: false, SectionFound: false, []);
        }

        var lines = (await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false))
            .Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (ChangelogDocument.FindSection(lines, bare) is not { } range)
        {
            return new ChangelogExcerpt(bare, path, FileExists: true, SectionFound: false, []);
        }

        var entries = lines[(range.Start + 1)..range.End]
            .Where(line => line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .Where(entry => entry.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new ChangelogExcerpt(bare, path, FileExists: true, SectionFound: true, entries);
    }
}
