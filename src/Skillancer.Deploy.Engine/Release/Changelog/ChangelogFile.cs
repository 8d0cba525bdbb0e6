using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release.Git;

namespace Skillancer.Deploy.Engine.Release.Changelog;

/// <summary>
/// Where the changelog is, the same for writing it (Update-SkChangelog) and reading it (a Complete
/// notice): -ChangelogPath when absolute, else relative to the top level of the repository that
/// holds the folder (CHANGELOG.md by default).
/// </summary>
internal static class ChangelogFile
{
    public const string DefaultName = "CHANGELOG.md";

    /// <summary>The changelog's full path in <paramref name="repositoryRoot"/>.</summary>
    public static string Resolve(string repositoryRoot, string? changelogPath) =>
        Path.GetFullPath(changelogPath ?? DefaultName, repositoryRoot);

    /// <summary>
    /// The changelog for the repository around <paramref name="folder"/>. A folder outside git (or a
    /// machine without git) is looked in itself, since reading needs no repository.
    /// </summary>
    public static async Task<string> LocateForReadingAsync(string folder, string? changelogPath, OperationHost host, CancellationToken cancellationToken)
    {
        if (changelogPath is not null && Path.IsPathFullyQualified(changelogPath))
        {
            return Path.GetFullPath(changelogPath);
        }

        try
        {
            var repository = await GitRepository.OpenAsync(folder, host, cancellationToken).ConfigureAwait(false);
            return Resolve(repository.Root, changelogPath);
        }
        catch (DeployException e) when (Directory.Exists(folder) && e.ErrorId is ReleaseErrors.NotAGitRepository or ReleaseErrors.GitNotInstalled)
        {
            host.Verbose($"'{folder}' is not inside a git repository we can read; looking for {changelogPath ?? DefaultName} in that folder.");
            return Path.GetFullPath(changelogPath ?? DefaultName, folder);
        }
    }
}
