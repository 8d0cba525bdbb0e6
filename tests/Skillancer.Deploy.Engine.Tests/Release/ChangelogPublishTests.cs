using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release;
using Skillancer.Deploy.Engine.Release.Changelog;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Release;

/// <summary>Update-SkChangelog -Commit and -Push against a real clone and its bare origin.</summary>
public class ChangelogPublishTests
{
    private static readonly DateOnly Day = new(2026, 12, 1);

    [Fact]
    public async Task Commit_commits_the_changelog_alone_in_the_conventional_style_and_leaves_other_changes_alone()
    {
        using var git = ReleaseBranch();
        git.Write("notes.txt", "an untracked scratch file");
        git.Write("package.json", git.Read("package.json") + "\n");

        var section = await ChangelogUpdater.UpdateAsync(Request(git) with { Commit = true }, OperationHost.Silent, CancellationToken.None);

        Assert.NotNull(section);
        Assert.Equal(git.Git("rev-parse", "HEAD").Trim(), section.Commit);
        Assert.False(section.Pushed);
        Assert.Equal("docs(changelog): v1.2.3", git.Git("log", "-1", "--format=%s").Trim());
        Assert.Equal("CHANGELOG.md", git.Git("show", "--name-only", "--format=", "HEAD").Trim());
        Assert.Equal("package.json", git.Git("diff", "--name-only"));
        Assert.Equal("notes.txt", git.Git("ls-files", "--others", "--exclude-standard"));
        Assert.Empty(git.Git("diff", "--cached", "--name-only"));
    }

    [Fact]
    public async Task Other_staged_changes_are_refused_before_the_changelog_is_written()
    {
        using var git = ReleaseBranch();
        git.Write("src/app.js", "console.log('unrelated');\n");
        git.Git("add", "src/app.js");
        var before = git.Snapshot();

        var failure = await Assert.ThrowsAsync<DeployException>(() => ChangelogUpdater.UpdateAsync(Request(git) with { Commit = true }, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(ReleaseErrors.OtherChangesStaged, failure.ErrorId);
        Assert.Contains("(A src/app.js), and -Commit commits CHANGELOG.md alone. Commit those changes first, or unstage them (git restore --staged <path>)", failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, git.Snapshot());
    }

    [Fact]
    public async Task Push_publishes_the_commit_and_a_rerun_commits_and_pushes_nothing()
    {
        using var git = ReleaseBranch();
        var host = new RecordingHost();

        var first = await ChangelogUpdater.UpdateAsync(Request(git) with { Push = true }, OperationHost.Silent, CancellationToken.None);
        var pushed = git.GitIn(git.Origin, "rev-parse", "refs/heads/release/v1.2.3").Trim();
        var before = git.Snapshot();
        var again = await ChangelogUpdater.UpdateAsync(Request(git) with { Commit = true, Push = true }, host.Host, CancellationToken.None);

        Assert.True(first!.Pushed);
        Assert.Equal(first.Commit, pushed);
        Assert.Equal("origin/release/v1.2.3", git.Git("rev-parse", "--abbrev-ref", "release/v1.2.3@{upstream}").Trim());
        Assert.False(again!.Written);
        Assert.Equal(first.Commit, again.Commit);
        Assert.True(again.Pushed);
        Assert.Empty(host.Asked);
        Assert.Contains(host.Verbose, line => line.StartsWith("origin/release/v1.2.3 already holds", StringComparison.Ordinal));
        Assert.Equal(before, git.Snapshot());
    }

    [Fact]
    public async Task A_written_but_uncommitted_changelog_is_committed_by_a_later_run()
    {
        using var git = ReleaseBranch();
        await ChangelogUpdater.UpdateAsync(Request(git), OperationHost.Silent, CancellationToken.None);

        var section = await ChangelogUpdater.UpdateAsync(Request(git) with { Commit = true }, OperationHost.Silent, CancellationToken.None);

        Assert.False(section!.Written);
        Assert.Equal(git.Git("rev-parse", "HEAD").Trim(), section.Commit);
        Assert.Empty(git.Git("status", "--porcelain").Trim());
    }

    [Fact]
    public async Task WhatIf_describes_the_write_the_commit_and_the_push_and_changes_nothing_here_or_at_the_origin()
    {
        using var git = ReleaseBranch();
        var before = git.Snapshot();
        var host = new RecordingHost(Approval.WhatIf);

        var section = await ChangelogUpdater.UpdateAsync(Request(git) with { Push = true }, host.Host, CancellationToken.None);

        Assert.Null(section);
        Assert.Equal(3, host.Asked.Count);
        Assert.StartsWith("Add the section for 1.2.3", host.Asked[0], StringComparison.Ordinal);
        Assert.Equal("Commit CHANGELOG.md alone as \"docs(changelog): v1.2.3\"", host.Asked[1]);
        Assert.Equal("Push release/v1.2.3 to origin and set its upstream", host.Asked[2]);
        Assert.Equal(before, git.Snapshot());
    }

    [Fact]
    public async Task A_refused_push_keeps_the_commit_and_says_how_to_resume_as_the_release_does()
    {
        using var git = ReleaseBranch();
        var hook = Path.Join(git.Origin, "hooks", "pre-receive");
        File.WriteAllText(hook, "#!/bin/sh\necho 'release branches are protected' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var failure = await Assert.ThrowsAsync<DeployException>(() => ChangelogUpdater.UpdateAsync(Request(git) with { Push = true }, OperationHost.Silent, CancellationToken.None));

        var commit = git.Git("rev-parse", "--short=7", "HEAD").Trim();
        Assert.Equal(ReleaseErrors.PushRejected, failure.ErrorId);
        Assert.Contains("The step \"Push release/v1.2.3 to origin and set its upstream\" failed: origin refused the push of release/v1.2.3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("release branches are protected", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith($"The changelog commit {commit} is on the local branch release/v1.2.3; nothing was pushed. To resume: git push --set-upstream origin release/v1.2.3.",
            failure.Message, StringComparison.Ordinal);
        Assert.Equal("docs(changelog): v1.2.3", git.Git("log", "-1", "--format=%s").Trim());
    }

    [Fact]
    public async Task Push_on_a_detached_HEAD_or_to_an_unknown_remote_is_refused_before_anything_changes()
    {
        using var git = ReleaseBranch();
        git.Git("checkout", "--quiet", "--detach");
        var before = git.Snapshot();

        var detached = await Assert.ThrowsAsync<DeployException>(() => ChangelogUpdater.UpdateAsync(Request(git) with { Push = true }, OperationHost.Silent, CancellationToken.None));
        var afterDetached = git.Snapshot();
        git.Git("checkout", "--quiet", "release/v1.2.3");
        var onBranch = git.Snapshot();
        var unknown = await Assert.ThrowsAsync<DeployException>(() => ChangelogUpdater.UpdateAsync(Request(git) with { Push = true, Remote = "upstream" }, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(ReleaseErrors.DetachedHead, detached.ErrorId);
        Assert.Equal(ReleaseErrors.RemoteNotFound, unknown.ErrorId);
        Assert.Equal(before, afterDetached);
        Assert.Equal(onBranch, git.Snapshot());
    }

    [Fact]
    public async Task A_changelog_outside_the_repository_is_not_committed()
    {
        using var git = ReleaseBranch();
        using var elsewhere = new TempFolder();

        var failure = await Assert.ThrowsAsync<DeployException>(() => ChangelogUpdater.UpdateAsync(
            Request(git) with { Commit = true, ChangelogPath = Path.Join(elsewhere.Path, "CHANGELOG.md") }, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(ReleaseErrors.ChangelogOutsideRepository, failure.ErrorId);
        Assert.False(File.Exists(Path.Join(elsewhere.Path, "CHANGELOG.md")));
    }

    // A repository on release/v1.2.3 with one feature since release/v1.2.2.
    private static GitWorkspace ReleaseBranch()
    {
        var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.Git("branch", "release/v1.2.2");
        git.Commit("feat(jobs): search by skill");
        git.Git("checkout", "--quiet", "-b", "release/v1.2.3");
        return git;
    }

    private static ChangelogRequest Request(GitWorkspace git) => new(git.Clone, "1.2.3", Date: Day);
}
