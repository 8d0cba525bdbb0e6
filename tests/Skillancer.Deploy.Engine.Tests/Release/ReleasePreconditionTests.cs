using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Release;

/// <summary>Every precondition fails with its own error id and leaves the repository and the remote as they were.</summary>
public class ReleasePreconditionTests
{
    [Fact]
    public async Task A_folder_outside_git_is_NotAGitRepository()
    {
        using var folder = new TempFolder();

        var error = await Fails(new ReleaseRequest(folder.Path, "1.0.0", null));

        Assert.Equal(ReleaseErrors.NotAGitRepository, error.ErrorId);
    }

    [Fact]
    public async Task A_dirty_working_tree_is_WorkingTreeDirty_and_lists_the_files()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.Write("package.json", "{\n  \"name\": \"svc\",\n  \"version\": \"9.9.9\"\n}\n");

        var error = await FailsUntouched(git, "1.2.3");

        Assert.Equal(ReleaseErrors.WorkingTreeDirty, error.ErrorId);
        Assert.Contains("M package.json", error.Message);
    }

    [Fact]
    public async Task Untracked_files_only_warn()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.Write("notes.txt", "mine\n");
        var host = new RecordingHost();

        var release = await ReleaseCreator.CreateAsync(new ReleaseRequest(git.Clone, "1.2.3", null), host.Host, CancellationToken.None);

        Assert.NotNull(release);
        Assert.Contains(host.Warnings, w => w.Contains("untracked", StringComparison.Ordinal));
        Assert.DoesNotContain("notes.txt", git.Git("show", "--name-only", "--format=", "HEAD"));
    }

    [Fact]
    public async Task A_missing_base_branch_is_BaseBranchNotFound()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));

        var error = await FailsUntouched(git, "1.2.3", baseBranch: "main");

        Assert.Equal(ReleaseErrors.BaseBranchNotFound, error.ErrorId);
        Assert.Contains("-BaseBranch", error.Message);
    }

    [Fact]
    public async Task A_base_branch_that_diverged_from_the_remote_is_BaseBranchDiverged()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        var colleague = git.CloneAgain("colleague");
        File.WriteAllText(Path.Join(colleague, "a.txt"), "a\n");
        GitWorkspace.Run(colleague, "add", "a.txt");
        GitWorkspace.Run(colleague, "commit", "--quiet", "-m", "fix: theirs");
        GitWorkspace.Run(colleague, "push", "--quiet", "origin", "master");
        git.Commit("fix: mine", new Dictionary<string, string> { ["b.txt"] = "b\n" });

        var error = await Fails(new ReleaseRequest(git.Clone, "1.2.3", null));

        Assert.Equal(ReleaseErrors.BaseBranchDiverged, error.ErrorId);
        Assert.Contains("1 local and 1 remote", error.Message);
        Assert.Empty(git.Git("branch", "--list", "release/*"));
    }

    [Fact]
    public async Task A_base_branch_with_unpushed_commits_is_BaseBranchAhead()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.Commit("feat: not reviewed", new Dictionary<string, string> { ["c.txt"] = "c\n" });

        var error = await FailsUntouched(git, "1.2.3");

        Assert.Equal(ReleaseErrors.BaseBranchAhead, error.ErrorId);
    }

    [Fact]
    public async Task A_release_branch_that_exists_locally_is_ReleaseBranchExists()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.Git("branch", "release/v1.2.3");

        var error = await FailsUntouched(git, "1.2.3");

        Assert.Equal(ReleaseErrors.ReleaseBranchExists, error.ErrorId);
        Assert.Contains("already exists locally", error.Message);
    }

    [Fact]
    public async Task A_release_branch_that_exists_on_the_remote_is_ReleaseBranchExists()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.GitIn(git.Origin, "branch", "release/v1.2.3", "master");

        var error = await FailsUntouched(git, "v1.2.3");

        Assert.Equal(ReleaseErrors.ReleaseBranchExists, error.ErrorId);
        Assert.Contains("on origin", error.Message);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("latest")]
    [InlineData("1.2.3+build.7")]
    [InlineData("01.2.3")]
    public async Task A_version_that_is_not_SemVer_is_InvalidVersion(string version)
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));

        var error = await FailsUntouched(git, version);

        Assert.Equal(ReleaseErrors.InvalidVersion, error.ErrorId);
    }

    [Theory]
    [InlineData("1.2.2")]
    [InlineData("1.2.1")]
    [InlineData("1.2.2-rc.1")]
    public async Task A_version_that_is_not_greater_is_VersionNotGreater_unless_forced(string version)
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));

        var error = await FailsUntouched(git, version);
        var forced = await ReleaseCreator.CreateAsync(new ReleaseRequest(git.Clone, version, null, Force: true), OperationHost.Silent, CancellationToken.None);

        Assert.Equal(ReleaseErrors.VersionNotGreater, error.ErrorId);
        Assert.Equal(version, forced!.Version);
    }

    [Fact]
    public async Task A_repository_without_package_json_is_PackageJsonNotFound()
    {
        using var git = GitWorkspace.Create(new Dictionary<string, string> { ["README.md"] = "# svc\n" });

        var error = await FailsUntouched(git, "1.0.0");

        Assert.Equal(ReleaseErrors.PackageJsonNotFound, error.ErrorId);
    }

    [Fact]
    public async Task An_unknown_remote_is_RemoteNotFound()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));

        var error = await FailsUntouched(git, "1.2.3", remote: "upstream");

        Assert.Equal(ReleaseErrors.RemoteNotFound, error.ErrorId);
        Assert.Contains("it has: origin", error.Message);
    }

    [Fact]
    public async Task An_unreachable_remote_is_RemoteUnreachable_before_anything_changes()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.Git("remote", "set-url", "origin", Path.Join(git.Root, "gone.git"));
        var before = git.Snapshot();

        var error = await Fails(new ReleaseRequest(git.Clone, "1.2.3", null));

        Assert.Equal(ReleaseErrors.RemoteUnreachable, error.ErrorId);
        Assert.Equal(before, git.Snapshot());
    }

    [Fact]
    public async Task A_rejected_push_names_the_step_keeps_the_local_commit_and_says_how_to_resume()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        var hook = Path.Join(git.Origin, "hooks", "pre-receive");
        File.WriteAllText(hook, "#!/bin/sh\necho 'release branches need an approved change request' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var error = await Fails(new ReleaseRequest(git.Clone, "1.2.3", null));

        Assert.Equal(ReleaseErrors.PushRejected, error.ErrorId);
        Assert.Contains("\"Push release/v1.2.3 to origin and set its upstream\" failed", error.Message);
        Assert.Contains("approved change request", error.Message);
        Assert.Contains("git push --set-upstream origin release/v1.2.3", error.Message);
        Assert.Equal("chore(release): v1.2.3", git.Git("log", "-1", "--format=%s", "release/v1.2.3"));
        Assert.Empty(git.GitIn(git.Origin, "branch", "--list", "release/*"));
    }

    [Fact]
    public async Task A_remote_that_cannot_be_reached_at_push_time_names_the_push_step_and_keeps_the_commit()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.Git("remote", "set-url", "--push", "origin", Path.Join(git.Root, "gone.git"));

        var error = await Fails(new ReleaseRequest(git.Clone, "1.2.3", null));

        Assert.Equal(ReleaseErrors.RemoteUnreachable, error.ErrorId);
        Assert.Contains("\"Push release/v1.2.3 to origin and set its upstream\" failed", error.Message);
        Assert.Contains("To resume: git push --set-upstream origin release/v1.2.3", error.Message);
        Assert.Equal("chore(release): v1.2.3", git.Git("log", "-1", "--format=%s", "release/v1.2.3"));
    }

    [Fact]
    public async Task A_repository_path_is_not_required_to_be_the_top_level()
    {
        using var git = GitWorkspace.Create(new Dictionary<string, string>(GitWorkspace.NpmProject("1.0.0")) { ["src/app.js"] = "x\n" });

        var release = await ReleaseCreator.CreateAsync(new ReleaseRequest(Path.Join(git.Clone, "src"), "1.0.1", null), OperationHost.Silent, CancellationToken.None);

        Assert.Equal(git.Clone, release!.Repository);
    }

    private static async Task<DeployException> FailsUntouched(GitWorkspace git, string version, string baseBranch = "master", string remote = "origin")
    {
        var before = git.Snapshot();
        var error = await Fails(new ReleaseRequest(git.Clone, version, null, BaseBranch: baseBranch, Remote: remote));
        Assert.Equal(before, git.Snapshot());
        return error;
    }

    private static Task<DeployException> Fails(ReleaseRequest request) =>
        Assert.ThrowsAsync<DeployException>(() => ReleaseCreator.CreateAsync(request, OperationHost.Silent, CancellationToken.None));
}
