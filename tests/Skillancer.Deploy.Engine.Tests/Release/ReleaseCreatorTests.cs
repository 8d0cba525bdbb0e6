using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Release;

public class ReleaseCreatorTests
{
    [Fact]
    public async Task Creates_commits_and_pushes_the_release_branch_as_the_runbook_does()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        var host = new RecordingHost();

        var release = await Create(git, "1.2.3", host);

        Assert.NotNull(release);
        Assert.Equal("1.2.3", release.Version);
        Assert.Equal("v1.2.3", release.Tag);
        Assert.Equal("release/v1.2.3", release.Branch);
        Assert.Equal("1.2.2", release.PreviousVersion);
        Assert.True(release.Pushed);
        Assert.Equal(["package.json", "package-lock.json"], release.ChangedFiles);
        Assert.Equal(git.Clone, release.Repository);
        Assert.Equal("release/v1.2.3", git.Git("rev-parse", "--abbrev-ref", "HEAD"));
        Assert.Equal("chore(release): v1.2.3", git.Git("log", "-1", "--format=%s"));
        Assert.Equal(release.Commit, git.Git("rev-parse", "HEAD"));
        Assert.Equal(release.Commit, git.GitIn(git.Origin, "rev-parse", "refs/heads/release/v1.2.3"));
        Assert.Equal("origin/release/v1.2.3", git.Git("rev-parse", "--abbrev-ref", "release/v1.2.3@{upstream}"));
        Assert.Contains("\"version\": \"1.2.3\"", git.Read("package.json"));
        Assert.Equal(2, CountOccurrences(git.Read("package-lock.json"), "\"version\": \"1.2.3\""));
        Assert.Empty(git.Git("status", "--porcelain"));
        Assert.Equal(
            ["Pull master from origin (fast-forward only)", "Create branch release/v1.2.3",
             "Set version 1.2.3 in package.json, package-lock.json", "Commit \"chore(release): v1.2.3\"", "Push release/v1.2.3 to origin and set its upstream"],
            host.Asked);
    }

    [Fact]
    public async Task Pulls_the_commits_a_colleague_pushed_and_checks_out_the_base_branch_first()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.Git("checkout", "--quiet", "-b", "feature/x");
        var colleague = git.CloneAgain("colleague");
        File.WriteAllText(Path.Join(colleague, "NEWS.md"), "news\n");
        GitWorkspace.Run(colleague, "add", "NEWS.md");
        GitWorkspace.Run(colleague, "commit", "--quiet", "-m", "feat: news");
        GitWorkspace.Run(colleague, "push", "--quiet", "origin", "master");

        var host = new RecordingHost();
        var release = await Create(git, "v1.3.0", host);

        Assert.Equal("1.3.0", release!.Version);
        Assert.Equal(["Fetch master from origin", "Check out master"], host.Asked.Take(2));
        Assert.Equal("feat: news", git.Git("log", "-1", "--format=%s", "HEAD~1"));
        Assert.Equal(GitWorkspace.Run(colleague, "rev-parse", "HEAD"), git.Git("rev-parse", "master"));
    }

    [Fact]
    public async Task With_NoPush_the_commit_stays_local()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));

        var release = await Create(git, "1.2.3", new RecordingHost(), noPush: true);

        Assert.False(release!.Pushed);
        Assert.Equal("chore(release): v1.2.3", git.Git("log", "-1", "--format=%s"));
        Assert.Empty(git.GitIn(git.Origin, "branch", "--list", "release/*"));
    }

    [Fact]
    public async Task WhatIf_describes_every_step_and_leaves_repository_and_remote_byte_for_byte_untouched()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.Git("checkout", "--quiet", "-b", "feature/y");
        var before = git.Snapshot();
        var host = new RecordingHost(Approval.WhatIf);

        var release = await Create(git, "1.2.3", host);

        Assert.Null(release);
        Assert.Equal(before, git.Snapshot());
        Assert.Equal(6, host.Asked.Count);
        Assert.Equal("Check out master", host.Asked[0]);
        Assert.Equal("Push release/v1.2.3 to origin and set its upstream", host.Asked[^1]);
    }

    [Fact]
    public async Task Declining_a_step_stops_there_and_says_what_was_done()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        var host = new RecordingHost(declineAt: "Create branch");

        var release = await Create(git, "1.2.3", host);

        Assert.Null(release);
        Assert.Empty(git.Git("branch", "--list", "release/*"));
        Assert.Contains(host.Warnings, w => w.Contains("Stopped at your request before \"Create branch release/v1.2.3\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(VersionBump.Major, null, "2.0.0")]
    [InlineData(VersionBump.Minor, null, "1.3.0")]
    [InlineData(VersionBump.Patch, null, "1.2.3")]
    [InlineData(VersionBump.Prerelease, null, "1.2.3-0")]
    [InlineData(VersionBump.Prerelease, "rc", "1.2.3-rc.0")]
    public async Task Bump_computes_the_version_from_package_json(VersionBump bump, string? preId, string expected)
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));

        var release = await ReleaseCreator.CreateAsync(new ReleaseRequest(git.Clone, null, bump, preId), new RecordingHost().Host, CancellationToken.None);

        Assert.Equal(expected, release!.Version);
        Assert.Equal($"release/v{expected}", release.Branch);
    }

    [Fact]
    public async Task A_prerelease_can_follow_a_prerelease_and_a_release_can_follow_it()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.3.0-rc.1"));

        var rc2 = await Create(git, "1.3.0-rc.2", new RecordingHost());
        git.Git("checkout", "--quiet", "master");
        var final = await Create(git, "1.3.0", new RecordingHost());

        Assert.Equal("release/v1.3.0-rc.2", rc2!.Branch);
        Assert.Equal("1.3.0-rc.1", final!.PreviousVersion);
    }

    [Fact]
    public async Task A_CRLF_package_json_stays_CRLF()
    {
        using var git = GitWorkspace.Create(new Dictionary<string, string> { ["package.json"] = "{\r\n\t\"name\": \"svc\",\r\n\t\"version\": \"1.0.0\"\r\n}\r\n" });

        await Create(git, "1.0.1", new RecordingHost());

        Assert.Equal("{\r\n\t\"name\": \"svc\",\r\n\t\"version\": \"1.0.1\"\r\n}\r\n", git.Read("package.json"));
    }

    [Fact]
    public async Task Workspaces_sets_the_version_of_every_npm_workspace_and_their_lock_entries()
    {
        var files = new Dictionary<string, string>
        {
            ["package.json"] = "{\n  \"name\": \"mono\",\n  \"version\": \"0.9.0\",\n  \"workspaces\": [\"packages/*\", \"!packages/ignored\"]\n}\n",
            ["package-lock.json"] = "{\n  \"name\": \"mono\",\n  \"version\": \"0.9.0\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": { \"name\": \"mono\", \"version\": \"0.9.0\" },\n    \"packages/a\": { \"name\": \"a\", \"version\": \"0.9.0\" },\n    \"node_modules/a\": { \"resolved\": \"packages/a\", \"link\": true }\n  }\n}\n",
            ["packages/a/package.json"] = "{\n  \"name\": \"a\",\n  \"version\": \"0.9.0\"\n}\n",
            ["packages/b/package.json"] = "{\n    \"name\": \"b\",\n    \"version\": \"0.9.0\"\n}\n",
            ["packages/ignored/package.json"] = "{\n  \"name\": \"ignored\",\n  \"version\": \"0.1.0\"\n}\n",
        };
        using var git = GitWorkspace.Create(files);

        var release = await ReleaseCreator.CreateAsync(new ReleaseRequest(git.Clone, "1.0.0", null, Workspaces: true), new RecordingHost().Host, CancellationToken.None);

        Assert.Equal(["package.json", "package-lock.json", "packages/a/package.json", "packages/b/package.json"], release!.ChangedFiles);
        Assert.Equal("{\n    \"name\": \"b\",\n    \"version\": \"1.0.0\"\n}\n", git.Read("packages/b/package.json"));
        Assert.Contains("\"version\": \"0.1.0\"", git.Read("packages/ignored/package.json"));
        Assert.Equal(3, CountOccurrences(git.Read("package-lock.json"), "\"version\": \"1.0.0\""));
    }

    [Fact]
    public async Task The_sample_pnpm_monorepo_gets_exactly_what_the_runbook_commands_produce()
    {
        var sample = Directory.EnumerateFiles(Path.Join(RepositoryFiles.Root, "examples", "sample-repo"), "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Path.Join(RepositoryFiles.Root, "examples", "sample-repo"), f).Replace('\\', '/'), File.ReadAllText);
        using var git = GitWorkspace.Create(sample);
        var byHand = git.CloneAgain("by hand");

        var release = await Create(git, "1.2.3", new RecordingHost(), workspaces: true);

        // The runbook's commands, run for real in a second clone (without the push).
        GitWorkspace.Run(byHand, "checkout", "--quiet", "master");
        GitWorkspace.Run(byHand, "pull", "--quiet", "origin", "master");
        GitWorkspace.Run(byHand, "checkout", "--quiet", "-b", "release/v1.2.3");
        NpmCli.Run(byHand, "version", "1.2.3", "--no-git-tag-version");
        foreach (var workspace in release!.ChangedFiles.Where(f => f.Contains('/', StringComparison.Ordinal)))
        {
            NpmCli.Run(Path.Join(byHand, Path.GetDirectoryName(workspace)!), "version", "1.2.3", "--no-git-tag-version");
        }

        GitWorkspace.Run(byHand, "add", ".");
        GitWorkspace.Run(byHand, "commit", "--quiet", "-m", "chore(release): v1.2.3");

        Assert.Equal(GitWorkspace.Run(byHand, "rev-parse", "HEAD^{tree}"), git.Git("rev-parse", "HEAD^{tree}"));
        Assert.Equal(GitWorkspace.Run(byHand, "log", "-1", "--format=%s"), git.Git("log", "-1", "--format=%s"));
        Assert.Equal(release.Commit, git.GitIn(git.Origin, "rev-parse", "refs/heads/release/v1.2.3"));
        Assert.True(release.ChangedFiles.Count > 3);
    }

    private static Task<ReleaseResult?> Create(GitWorkspace git, string version, RecordingHost host, bool noPush = false, bool workspaces = false) =>
        ReleaseCreator.CreateAsync(new ReleaseRequest(git.Clone, version, null, NoPush: noPush, Workspaces: workspaces), host.Host, CancellationToken.None);

    private static int CountOccurrences(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
}
