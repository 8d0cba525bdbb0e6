using Semver;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release.Git;

namespace Skillancer.Deploy.Engine.Release;

/// <summary>The release/vX.Y.Z branches of a repository, local and remote-tracking, newest version first.</summary>
public static class ReleaseBranches
{
    private const string Prefix = "release/";

    /// <summary>Lists the release branches of the repository at <paramref name="path"/>, as last fetched from <paramref name="remote"/>.</summary>
    public static async Task<IReadOnlyList<ReleaseBranch>> ListAsync(string path, string remote, OperationHost host, CancellationToken cancellationToken)
    {
        var repository = await GitRepository.OpenAsync(path, host, cancellationToken).ConfigureAwait(false);
        return await ListAsync(repository, remote, host).ConfigureAwait(false);
    }

    internal static async Task<IReadOnlyList<ReleaseBranch>> ListAsync(GitRepository repository, string remote, OperationHost host)
    {
        var localPrefix = $"refs/heads/{Prefix}";
        var remotePrefix = $"refs/remotes/{remote}/{Prefix}";
        var refs = await repository.ListRefsAsync(localPrefix.TrimEnd('/'), remotePrefix.TrimEnd('/')).ConfigureAwait(false);
        var byVersion = new Dictionary<string, (SemVersion Version, RefEntry? Local, RefEntry? Remote)>(StringComparer.Ordinal);
        foreach (var entry in refs)
        {
            var isLocal = entry.Name.StartsWith(localPrefix, StringComparison.Ordinal);
            var name = entry.Name[(isLocal ? localPrefix : remotePrefix).Length..];
            if (!SemVersion.TryParse(name, SemVersionStyles.AllowV, out var version))
            {
                host.Verbose($"Skipping {entry.Name}: '{name}' is not a version.");
                continue;
            }

            var key = version.ToString();
            var found = byVersion.GetValueOrDefault(key, (version, null, null));
            byVersion[key] = isLocal ? found with { Local = entry } : found with { Remote = entry };
        }

        return byVersion.Values
            .OrderByDescending(v => v.Version, SemVersion.PrecedenceComparer)
            .Select(v =>
            {
                var tip = v.Local ?? v.Remote!;
                return new ReleaseBranch
                {
                    Version = v.Version.ToString(),
                    Tag = ReleaseVersion.Tag(v.Version),
                    Branch = ReleaseVersion.BranchName(v.Version),
                    Local = v.Local is not null,
                    Remote = v.Remote is not null,
                    Commit = tip.Commit,
                    InSync = v.Local is not null && v.Remote is not null ? v.Local.Commit == v.Remote.Commit : null,
                    CommittedAt = tip.CommittedAt.ToUniversalTime(),
                    Subject = tip.Subject,
                    Repository = repository.Root,
                };
            })
            .ToList();
    }
}
