using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Release.Git;

/// <summary>The git operations the release steps need, each one command with parseable output.</summary>
internal sealed class GitRepository
{
    private readonly GitCli _git;

    private GitRepository(GitCli git, string root)
    {
        _git = git;
        Root = root;
    }

    /// <summary>The repository's top-level folder.</summary>
    public string Root { get; }

    /// <summary>Opens the repository that contains <paramref name="path"/>.</summary>
    public static async Task<GitRepository> OpenAsync(string path, OperationHost host, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(path))
        {
            throw new DeployException(ReleaseErrors.NotAGitRepository, DeployErrorCategory.ObjectNotFound,
                $"The folder '{path}' does not exist. Pass -Path with the repository's folder.", path);
        }

        var probe = new GitCli(path, host, cancellationToken);
        var version = await probe.TryRunAsync(["--version"]).ConfigureAwait(false);
        if (!version.Succeeded)
        {
            throw GitCli.Failed(["--version"], version);
        }

        var toplevel = await probe.TryRunAsync(["rev-parse", "--show-toplevel"]).ConfigureAwait(false);
        if (!toplevel.Succeeded)
        {
            throw new DeployException(ReleaseErrors.NotAGitRepository, DeployErrorCategory.InvalidArgument,
                $"'{path}' is not inside a git repository. Run the command from a clone of the service's repository, or pass -Path with its folder.", path);
        }

        var root = Path.GetFullPath(toplevel.Output.Trim());
        return new GitRepository(new GitCli(root, host, cancellationToken), root);
    }

    /// <summary>The branch HEAD points at, or null when HEAD is detached.</summary>
    public async Task<string?> CurrentBranchAsync()
    {
        var result = await _git.TryRunAsync(["symbolic-ref", "--quiet", "--short", "HEAD"]).ConfigureAwait(false);
        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>Changed and untracked paths, from <c>git status --porcelain=v1 -z</c>.</summary>
    public async Task<IReadOnlyList<StatusEntry>> StatusAsync()
    {
        var output = await _git.RunAsync(["status", "--porcelain=v1", "-z", "--untracked-files=all"]).ConfigureAwait(false);
        var entries = new List<StatusEntry>();
        var fields = output.Split('\0');
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            if (field.Length < 4)
            {
                continue;
            }

            var code = field[..2];
            entries.Add(new StatusEntry(code, field[3..]));
            if (code[0] is 'R' or 'C')
            {
                i++; // a rename or copy is followed by its source path
            }
        }

        return entries;
    }

    public async Task<IReadOnlyList<string>> RemotesAsync() =>
        (await _git.RunAsync(["remote"]).ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The commit a ref or revision names, or null when it does not exist.</summary>
    public async Task<string?> ResolveAsync(string revision)
    {
        var result = await _git.TryRunAsync(["rev-parse", "--verify", "--quiet", $"{revision}^{{commit}}"]).ConfigureAwait(false);
        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>True when the object exists in this repository (a remote commit that was fetched).</summary>
    public async Task<bool> HasCommitAsync(string sha) =>
        (await _git.TryRunAsync(["cat-file", "-e", $"{sha}^{{commit}}"]).ConfigureAwait(false)).Succeeded;

    /// <summary>The commit the remote's branch points at, asked with ls-remote (which changes nothing locally).</summary>
    public async Task<string?> RemoteBranchHeadAsync(string remote, string branch)
    {
        var arguments = new[] { "ls-remote", "--heads", remote, $"refs/heads/{branch}" };
        var result = await _git.TryRunAsync(arguments, GitCli.NetworkTimeout).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw Unreachable(remote, result);
        }

        var line = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return line?.Split('\t')[0];
    }

    /// <summary>True when <paramref name="ancestor"/> is reachable from <paramref name="descendant"/>.</summary>
    public async Task<bool> IsAncestorAsync(string ancestor, string descendant)
    {
        var result = await _git.TryRunAsync(["merge-base", "--is-ancestor", ancestor, descendant]).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw GitCli.Failed(["merge-base", "--is-ancestor", ancestor, descendant], result),
        };
    }

    /// <summary>The number of commits in <paramref name="from"/>..<paramref name="to"/>.</summary>
    public async Task<int> CountCommitsAsync(string from, string to) =>
        int.Parse((await _git.RunAsync(["rev-list", "--count", $"{from}..{to}"]).ConfigureAwait(false)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A file's text at a commit, or null when the commit has no such file.</summary>
    public async Task<string?> ShowFileAsync(string commit, string path)
    {
        var result = await _git.TryRunAsync(["show", $"{commit}:{path}"]).ConfigureAwait(false);
        return result.Succeeded ? result.Output : null;
    }

    public Task FetchAsync(string remote, string branch) =>
        RunNetworkAsync(remote, ["fetch", remote, branch]);

    public Task CheckoutAsync(string branch) => _git.RunAsync(["checkout", branch]);

    public Task PullFastForwardAsync(string remote, string branch) =>
        RunNetworkAsync(remote, ["pull", "--ff-only", remote, branch]);

    public Task CreateBranchAsync(string branch) => _git.RunAsync(["checkout", "-b", branch]);

    public Task AddAsync(IEnumerable<string> paths) => _git.RunAsync(["add", "--", .. paths]);

    /// <summary>Commits what is staged (an empty commit when nothing is) and returns the new commit.</summary>
    public async Task<string> CommitAsync(string message)
    {
        await _git.RunAsync(["commit", "--quiet", "--allow-empty", "-m", message]).ConfigureAwait(false);
        return (await ResolveAsync("HEAD").ConfigureAwait(false))!;
    }

    /// <summary>Commits exactly <paramref name="paths"/> as they are in the working tree (git commit --only), whatever else is staged, and returns the new commit.</summary>
    public async Task<string> CommitOnlyAsync(string message, IReadOnlyList<string> paths)
    {
        await _git.RunAsync(["commit", "--quiet", "--only", "-m", message, "--", .. paths]).ConfigureAwait(false);
        return (await ResolveAsync("HEAD").ConfigureAwait(false))!;
    }

    /// <summary>The newest commit on HEAD that changed <paramref name="path"/>, or null when none did.</summary>
    public async Task<string?> LastCommitOfAsync(string path)
    {
        var result = await _git.TryRunAsync(["log", "-1", "--format=%H", "--", path]).ConfigureAwait(false);
        return result.Succeeded && result.Output.Trim().Length > 0 ? result.Output.Trim() : null;
    }

    /// <summary>Pushes a branch and sets its upstream; a refusal by the remote is <c>PushRejected</c>.</summary>
    public async Task PushAsync(string remote, string branch)
    {
        var arguments = new[] { "push", "--porcelain", "--set-upstream", remote, $"refs/heads/{branch}:refs/heads/{branch}" };
        var result = await _git.TryRunAsync(arguments, GitCli.NetworkTimeout).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return;
        }

        var rejection = result.Output.Split('\n').FirstOrDefault(line => line.StartsWith('!'));
        if (rejection is not null || result.Error.Contains("rejected", StringComparison.OrdinalIgnoreCase))
        {
            var reason = rejection?.Split('\t').LastOrDefault()?.Trim() ?? GitCli.FirstLines(result.Error);
            throw new DeployException(ReleaseErrors.PushRejected, DeployErrorCategory.PermissionDenied,
                Sentences.Join($"{remote} refused the push of {branch}: {reason}", Remarks(result.Error).Length == 0 ? null : GitCli.FirstLines(Remarks(result.Error))), branch);
        }

        throw Unreachable(remote, result);
    }

    /// <summary>Every ref under the given prefixes, with its commit, date and subject.</summary>
    public async Task<IReadOnlyList<RefEntry>> ListRefsAsync(params string[] prefixes)
    {
        var output = await _git.RunAsync(
            ["for-each-ref", "--format=%(refname)%00%(objectname)%00%(committerdate:iso-strict)%00%(subject)", .. prefixes]).ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\0'))
            .Where(parts => parts.Length == 4)
            .Select(parts => new RefEntry(parts[0], parts[1], DateTimeOffset.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), parts[3]))
            .ToList();
    }

    /// <summary>Non-merge commits in a range, oldest last, with full messages.</summary>
    public async Task<IReadOnlyList<CommitEntry>> LogAsync(string range)
    {
        const char Record = '\u001e';
        var output = await _git.RunAsync(["log", "--no-merges", $"--format=%H%x00%s%x00%b{Record}", range]).ConfigureAwait(false);
        return output.Split(Record, StringSplitOptions.RemoveEmptyEntries)
            .Select(record => record.TrimStart('\n').Split('\0'))
            .Where(parts => parts.Length == 3)
            .Select(parts => new CommitEntry(parts[0], parts[1], parts[2].Trim()))
            .ToList();
    }

    private async Task RunNetworkAsync(string remote, string[] arguments)
    {
        var result = await _git.TryRunAsync(arguments, GitCli.NetworkTimeout).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return;
        }

        if (LooksUnreachable(result.Error))
        {
            throw Unreachable(remote, result);
        }

        throw GitCli.Failed(arguments, result);
    }

    private static bool LooksUnreachable(string error) =>
        error.Contains("Could not read from remote", StringComparison.OrdinalIgnoreCase)
        || error.Contains("unable to access", StringComparison.OrdinalIgnoreCase)
        || error.Contains("does not appear to be a git repository", StringComparison.OrdinalIgnoreCase)
        || error.Contains("Could not resolve host", StringComparison.OrdinalIgnoreCase);

    private static string Remarks(string error) =>
        string.Join('\n', error.Split('\n').Where(line => line.StartsWith("remote:", StringComparison.Ordinal)));

    private static DeployException Unreachable(string remote, ProcessResult result) =>
        new(ReleaseErrors.RemoteUnreachable, DeployErrorCategory.ConnectionError,
            Sentences.Join($"The remote '{remote}' cannot be reached: {GitCli.FirstLines(result.Error)}",
                "Check the network, the remote's URL (git remote -v) and your credentials, then run the command again."),
            remote);
}

/// <summary>One line of <c>git status --porcelain</c>: the two-letter code and the path.</summary>
internal sealed record StatusEntry(string Code, string Path)
{
    public bool IsUntracked => Code == "??";
}

/// <summary>One ref: its full name, commit, committer date and subject.</summary>
internal sealed record RefEntry(string Name, string Commit, DateTimeOffset CommittedAt, string Subject);

/// <summary>One commit: its hash, subject and body.</summary>
internal sealed record CommitEntry(string Sha, string Subject, string Body);
