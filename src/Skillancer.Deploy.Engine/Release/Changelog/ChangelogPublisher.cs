using Semver;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release.Git;

namespace Skillancer.Deploy.Engine.Release.Changelog;

/// <summary>
/// Update-SkChangelog's -Commit and -Push: commits the changelog alone as "docs(changelog): vX.Y.Z"
/// and pushes the branch. <see cref="PrepareAsync"/> checks everything before the changelog is
/// written; a rerun with nothing new commits and pushes nothing.
/// </summary>
internal sealed class ChangelogPublisher
{
    private readonly GitRepository _repository;
    private readonly string _file;
    private readonly bool _fileHasChanges;
    private readonly string _message;
    private readonly string _remote;
    private readonly string? _branch;
    private readonly OperationHost _host;

    private ChangelogPublisher(GitRepository repository, string file, bool fileHasChanges, SemVersion version, string remote, string? branch, OperationHost host)
    {
        _repository = repository;
        _file = file;
        _fileHasChanges = fileHasChanges;
        _message = $"docs(changelog): {ReleaseVersion.Tag(version)}";
        _remote = remote;
        _branch = branch;
        _host = host;
    }

    /// <summary>True when a step was only described (-WhatIf).</summary>
    public bool DescribedOnly { get; private set; }

    private string Target => $"repository {_repository.Root}";

    /// <summary>Checks that the commit and push can be done, before anything changes.</summary>
    public static async Task<ChangelogPublisher> PrepareAsync(GitRepository repository, string path, SemVersion version, ChangelogRequest request, OperationHost host)
    {
        var relative = Path.GetRelativePath(repository.Root, path);
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new DeployException(ReleaseErrors.ChangelogOutsideRepository, DeployErrorCategory.InvalidArgument,
                $"-Commit commits the changelog to {repository.Root}, but {path} is outside that repository. Pass a -ChangelogPath inside it, or leave out -Commit and -Push.", path);
        }

        var file = relative.Replace('\\', '/');
        var status = await repository.StatusAsync().ConfigureAwait(false);
        var staged = status.Where(e => !e.IsUntracked && e.Code[0] != ' ' && e.Path != file).ToList();
        if (staged.Count > 0)
        {
            var shown = string.Join(", ", staged.Take(10).Select(e => $"{e.Code.Trim()} {e.Path}")) + (staged.Count > 10 ? ", ..." : string.Empty);
            throw new DeployException(ReleaseErrors.OtherChangesStaged, DeployErrorCategory.InvalidOperation,
                $"Other changes are staged in {repository.Root} ({shown}), and -Commit commits {file} alone. " +
                $"Commit those changes first, or unstage them (git restore --staged <path>), then run Update-SkChangelog -Commit again.", repository.Root);
        }

        string? branch = null;
        if (request.Push)
        {
            branch = await repository.CurrentBranchAsync().ConfigureAwait(false)
                ?? throw new DeployException(ReleaseErrors.DetachedHead, DeployErrorCategory.InvalidOperation,
                    $"HEAD is detached in {repository.Root}, so there is no branch to push. Check out the release branch (git checkout release/{ReleaseVersion.Tag(version)}), then run Update-SkChangelog -Push again.",
                    repository.Root);
            await ReleasePreconditions.CheckRemoteAsync(repository, request.Remote).ConfigureAwait(false);
        }

        return new ChangelogPublisher(repository, file, status.Any(e => e.Path == file), version, request.Remote, branch, host);
    }

    /// <summary>Commits (when the file changes now or has uncommitted changes) and pushes (when the remote lacks the commit).</summary>
    public async Task<ChangelogSection> RunAsync(ChangelogSection section, bool fileChanging)
    {
        string? commit;
        if (fileChanging || _fileHasChanges)
        {
            var action = $"Commit {_file} alone as \"{_message}\"";
            var approval = _host.ShouldProcess(Target, action);
            if (approval == Approval.Declined)
            {
                _host.Warning($"Stopped at your request before \"{action}\". {_file} holds the section uncommitted. " +
                    $"To finish by hand: git add -- {_file} && git commit -m \"{_message}\" -- {_file}");
                return section;
            }

            if (approval == Approval.WhatIf)
            {
                DescribedOnly = true;
                commit = null;
            }
            else
            {
                await _repository.AddAsync([_file]).ConfigureAwait(false);
                commit = await _repository.CommitOnlyAsync(_message, [_file]).ConfigureAwait(false);
            }
        }
        else
        {
            commit = await _repository.LastCommitOfAsync(_file).ConfigureAwait(false);
            _host.Verbose($"{_file} has nothing left to commit{(commit is null ? string.Empty : $"; the section is in commit {commit[..7]}")}.");
        }

        section = section with { Commit = commit };
        return _branch is null ? section : await PushAsync(section, _branch, commit).ConfigureAwait(false);
    }

    private async Task<ChangelogSection> PushAsync(ChangelogSection section, string branch, string? commit)
    {
        var local = await _repository.ResolveAsync("HEAD").ConfigureAwait(false);
        var remote = await _repository.RemoteBranchHeadAsync(_remote, branch).ConfigureAwait(false);
        if (!DescribedOnly && local is not null && remote is not null
            && (remote == local || (await _repository.HasCommitAsync(remote).ConfigureAwait(false) && await _repository.IsAncestorAsync(local, remote).ConfigureAwait(false))))
        {
            _host.Verbose($"{_remote}/{branch} already holds {local[..7]}; nothing to push.");
            return section with { Pushed = true };
        }

        var action = $"Push {branch} to {_remote} and set its upstream";
        var approval = _host.ShouldProcess(Target, action);
        if (approval == Approval.Declined)
        {
            _host.Warning($"Stopped at your request before \"{action}\". {PushFailure.Resume("changelog commit", commit, _remote, branch)}");
            return section;
        }

        if (approval == Approval.WhatIf)
        {
            DescribedOnly = true;
            return section;
        }

        try
        {
            await _repository.PushAsync(_remote, branch).ConfigureAwait(false);
        }
        catch (DeployException e)
        {
            throw PushFailure.Wrap(action, e, PushFailure.Resume("changelog commit", commit, _remote, branch), branch);
        }

        return section with { Pushed = true };
    }
}
