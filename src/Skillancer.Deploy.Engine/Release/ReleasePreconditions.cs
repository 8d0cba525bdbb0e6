using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release.Git;
using Skillancer.Deploy.Engine.Release.Npm;

namespace Skillancer.Deploy.Engine.Release;

/// <summary>
/// Everything that must hold before a release changes anything: a clean tree, a reachable remote,
/// a base branch that can fast-forward, a valid and greater version, a free release branch and a
/// package.json. Only reads, except a fetch of the base branch when the remote has commits this
/// repository has never seen (asked like every change), which updates only the remote-tracking branch.
/// </summary>
internal static class ReleasePreconditions
{
    /// <summary>The plan, or null when the user declined the fetch.</summary>
    public static async Task<ReleasePlan?> CheckAsync(GitRepository repository, ReleaseRequest request, OperationHost host)
    {
        var requested = request.Version is null ? null : ReleaseVersion.Parse(request.Version);
        await CheckWorkingTreeAsync(repository, host).ConfigureAwait(false);
        await CheckRemoteAsync(repository, request.Remote).ConfigureAwait(false);

        var localBase = await repository.ResolveAsync($"refs/heads/{request.BaseBranch}").ConfigureAwait(false);
        var remoteBase = await repository.RemoteBranchHeadAsync(request.Remote, request.BaseBranch).ConfigureAwait(false)
            ?? throw BaseBranchNotFound(request, localBase is null);
        if (requested is not null)
        {
            await CheckReleaseBranchFreeAsync(repository, request.Remote, ReleaseVersion.BranchName(requested)).ConfigureAwait(false);
        }

        // Fetch only when the remote's tip is new here: an up-to-date repository is then left untouched.
        var remoteKnown = await repository.HasCommitAsync(remoteBase).ConfigureAwait(false);
        if (!remoteKnown)
        {
            var fetch = host.ShouldProcess($"repository {repository.Root}", $"Fetch {request.BaseBranch} from {request.Remote}");
            if (fetch == Approval.Declined)
            {
                return null;
            }

            if (fetch == Approval.Approved)
            {
                await repository.FetchAsync(request.Remote, request.BaseBranch).ConfigureAwait(false);
                remoteKnown = await repository.HasCommitAsync(remoteBase).ConfigureAwait(false);
            }
        }

        await CheckBaseCanFastForwardAsync(repository, request, localBase, remoteBase, remoteKnown, host).ConfigureAwait(false);

        var tip = remoteKnown ? remoteBase : localBase;
        var previous = ReleaseVersion.ParseCurrent(await ReadCurrentVersionAsync(repository, tip, host).ConfigureAwait(false));
        var version = requested ?? ReleaseVersion.Bump(previous, request.Bump ?? VersionBump.Patch, request.PreId);
        if (!request.Force && version.ComparePrecedenceTo(previous) <= 0)
        {
            throw new DeployException(ReleaseErrors.VersionNotGreater, DeployErrorCategory.InvalidArgument,
                $"Version {version} is not greater than the current version {previous} on {request.BaseBranch}. " +
                "Choose a greater version (or -Bump), or pass -Force if you really mean to release it again or go back.", version.ToString());
        }

        var branch = ReleaseVersion.BranchName(version);
        if (requested is null)
        {
            await CheckReleaseBranchFreeAsync(repository, request.Remote, branch).ConfigureAwait(false);
        }

        return new ReleasePlan(repository, version, previous, branch, request.BaseBranch, request.Remote,
            await repository.CurrentBranchAsync().ConfigureAwait(false));
    }

    private static async Task CheckWorkingTreeAsync(GitRepository repository, OperationHost host)
    {
        var status = await repository.StatusAsync().ConfigureAwait(false);
        var changed = status.Where(entry => !entry.IsUntracked).ToList();
        if (changed.Count > 0)
        {
            var shown = string.Join(", ", changed.Take(10).Select(entry => $"{entry.Code.Trim()} {entry.Path}"));
            throw new DeployException(ReleaseErrors.WorkingTreeDirty, DeployErrorCategory.InvalidOperation,
                $"The working tree of {repository.Root} has uncommitted changes ({shown}{(changed.Count > 10 ? ", ..." : string.Empty)}). " +
                "Commit or stash them (git stash), then run the command again.", repository.Root);
        }

        var untracked = status.Count(entry => entry.IsUntracked);
        if (untracked > 0)
        {
            host.Warning($"{untracked} untracked file(s) in {repository.Root} are left alone; only the version files are committed.");
        }
    }

    /// <summary>Fails with <c>RemoteNotFound</c>, listing the remotes there are, unless <paramref name="remote"/> is one of them.</summary>
    public static async Task CheckRemoteAsync(GitRepository repository, string remote)
    {
        var remotes = await repository.RemotesAsync().ConfigureAwait(false);
        if (!remotes.Contains(remote, StringComparer.Ordinal))
        {
            throw new DeployException(ReleaseErrors.RemoteNotFound, DeployErrorCategory.ObjectNotFound,
                $"The repository has no remote '{remote}' (it has: {(remotes.Count == 0 ? "none" : string.Join(", ", remotes))}). " +
                "Pass -Remote with one of them, or add it with 'git remote add'.", remote);
        }
    }

    private static async Task CheckBaseCanFastForwardAsync(
        GitRepository repository, ReleaseRequest request, string? localBase, string remoteBase, bool remoteKnown, OperationHost host)
    {
        if (localBase is null || localBase == remoteBase)
        {
            return;
        }

        if (!remoteKnown)
        {
            host.Warning($"{request.Remote}/{request.BaseBranch} was not fetched, so whether {request.BaseBranch} has diverged is checked only when the pull runs.");
            return;
        }

        if (await repository.IsAncestorAsync(localBase, remoteBase).ConfigureAwait(false))
        {
            return; // the remote is ahead: the pull fast-forwards
        }

        var localOnly = await repository.CountCommitsAsync(remoteBase, localBase).ConfigureAwait(false);
        if (await repository.IsAncestorAsync(remoteBase, localBase).ConfigureAwait(false))
        {
            throw new DeployException(ReleaseErrors.BaseBranchAhead, DeployErrorCategory.InvalidOperation,
                $"{request.BaseBranch} has {localOnly} commit(s) that {request.Remote}/{request.BaseBranch} lacks. A release is cut from what the remote has: " +
                $"push those commits through review first, or drop them (git reset --hard {request.Remote}/{request.BaseBranch}).", request.BaseBranch);
        }

        var remoteOnly = await repository.CountCommitsAsync(localBase, remoteBase).ConfigureAwait(false);
        throw new DeployException(ReleaseErrors.BaseBranchDiverged, DeployErrorCategory.InvalidOperation,
            $"{request.BaseBranch} and {request.Remote}/{request.BaseBranch} have diverged ({localOnly} local and {remoteOnly} remote commit(s)), so it cannot fast-forward. " +
            $"Reconcile them (git rebase {request.Remote}/{request.BaseBranch}, or git reset --hard {request.Remote}/{request.BaseBranch}), then run the command again.",
            request.BaseBranch);
    }

    private static async Task<string?> ReadCurrentVersionAsync(GitRepository repository, string? tip, OperationHost host)
    {
        string? text;
        if (tip is null)
        {
            host.Warning("The base branch was not fetched; the current version is read from this checkout's package.json.");
            var path = Path.Join(repository.Root, "package.json");
            text = File.Exists(path) ? await File.ReadAllTextAsync(path).ConfigureAwait(false) : null;
        }
        else
        {
            text = await repository.ShowFileAsync(tip, "package.json").ConfigureAwait(false);
        }

        return NpmJsonFile.ReadVersion(text ?? throw VersionFiles.NotFound(repository.Root), "package.json");
    }

    private static async Task CheckReleaseBranchFreeAsync(GitRepository repository, string remote, string branch)
    {
        var local = await repository.ResolveAsync($"refs/heads/{branch}").ConfigureAwait(false);
        var onRemote = await repository.RemoteBranchHeadAsync(remote, branch).ConfigureAwait(false);
        if (local is null && onRemote is null)
        {
            return;
        }

        var where = local is not null && onRemote is not null ? $"locally and on {remote}" : local is not null ? "locally" : $"on {remote}";
        throw new DeployException(ReleaseErrors.ReleaseBranchExists, DeployErrorCategory.ResourceExists,
            $"The release branch {branch} already exists {where}. Choose another version, or, if an earlier run stopped before its push, " +
            $"push it yourself (git push --set-upstream {remote} {branch}) or delete it (git branch -D {branch}).", branch);
    }

    private static DeployException BaseBranchNotFound(ReleaseRequest request, bool missingLocally) =>
        new(ReleaseErrors.BaseBranchNotFound, DeployErrorCategory.ObjectNotFound,
            missingLocally
                ? $"The base branch '{request.BaseBranch}' exists neither locally nor on {request.Remote}. Pass -BaseBranch with the branch releases are cut from (main, for example)."
                : $"{request.Remote} has no branch '{request.BaseBranch}', so it cannot be pulled. Push it first, or pass -BaseBranch with a branch {request.Remote} has.",
            request.BaseBranch);
}
