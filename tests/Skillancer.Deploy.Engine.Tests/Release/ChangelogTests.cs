using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release;
using Skillancer.Deploy.Engine.Release.Changelog;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Release;

public class ChangelogTests
{
    private static readonly DateOnly Day = new(2026, 12, 1);

    [Fact]
    public void Conventional_commits_parse_type_scope_and_breaking_notes()
    {
        var plain = ConventionalCommit.Parse("abcdef1234", "feat(jobs): search by skill", string.Empty)!;
        var bang = ConventionalCommit.Parse("bbbbbbb999", "fix!: drop the v1 login", string.Empty)!;
        var footer = ConventionalCommit.Parse("ccccccc000", "refactor(api): rename routes",
            "Routes move under /v2.\n\nBREAKING CHANGE: /jobs is now /v2/jobs;\nclients must update.\nRefs: #42")!;

        Assert.Equal(("feat", "jobs", "search by skill", false), (plain.Type, plain.Scope, plain.Description, plain.IsBreaking));
        Assert.Equal("**jobs:** search by skill (abcdef1)", plain.Entry(plain.Description));
        Assert.Equal("drop the v1 login", bang.BreakingNote);
        Assert.Equal("/jobs is now /v2/jobs; clients must update.", footer.BreakingNote);
        Assert.Null(ConventionalCommit.Parse("d", "Merge branch 'x'", string.Empty));
        Assert.Null(ConventionalCommit.Parse("d", "update stuff", string.Empty));
    }

    [Fact]
    public async Task The_section_lists_the_conventional_commits_since_the_previous_release()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.Commit("feat: before the previous release");
        git.Git("branch", "release/v1.2.2");
        git.Commit("feat(jobs): search by skill");
        git.Commit("fix: login redirect loop");
        git.Commit("perf(market): cache listings");
        git.Commit("docs: typo");
        git.Commit("feat(api)!: drop /v1");
        git.Git("checkout", "--quiet", "-b", "topic");
        git.Commit("fix(topic): merged fix");
        git.Git("checkout", "--quiet", "master");
        git.Git("merge", "--quiet", "--no-ff", "-m", "Merge branch 'topic'", "topic");
        git.Commit("chore(release): v1.2.3");

        var section = await ChangelogUpdater.UpdateAsync(new ChangelogRequest(git.Clone, "1.2.3", Date: Day), OperationHost.Silent, CancellationToken.None);

        Assert.NotNull(section);
        Assert.True(section.Written);
        Assert.Equal("release/v1.2.2", section.Since);
        Assert.Equal(["**api:** drop /v1", "**jobs:** search by skill"], section.Added.Select(StripSha));
        Assert.Equal(["**topic:** merged fix", "login redirect loop"], section.Fixed.Select(StripSha));
        Assert.Equal(["**market:** cache listings"], section.Changed.Select(StripSha));
        Assert.Equal(["**api:** drop /v1"], section.Breaking.Select(StripSha));
        var file = git.Read("CHANGELOG.md");
        Assert.StartsWith("# Changelog\n", file);
        Assert.Contains("## [Unreleased]\n\n## [1.2.3] - 2026-12-01\n\n### Breaking Changes\n\n- **api:** drop /v1 (", file);
        Assert.DoesNotContain("typo", file);
        Assert.DoesNotContain("chore(release)", file);
        Assert.DoesNotContain("Merge branch", file);
    }

    [Fact]
    public async Task A_new_section_goes_above_older_releases_and_keeps_CRLF()
    {
        using var git = GitWorkspace.Create(new Dictionary<string, string>(GitWorkspace.NpmProject("2.0.0"))
        {
            ["CHANGELOG.md"] = "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n- pending note\r\n\r\n## [1.9.0] - 2026-01-01\r\n\r\n### Fixed\r\n\r\n- old\r\n\r\n[1.9.0]: https://example.test/1.9.0\r\n",
        });
        git.Commit("fix: newer");

        await ChangelogUpdater.UpdateAsync(new ChangelogRequest(git.Clone, Date: Day, Since: "HEAD~1"), OperationHost.Silent, CancellationToken.None);

        var file = git.Read("CHANGELOG.md");
        Assert.Equal(
            "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n- pending note\r\n\r\n## [2.0.0] - 2026-12-01\r\n\r\n### Fixed\r\n\r\n- newer (" +
            git.Git("rev-parse", "--short=7", "HEAD") + ")\r\n\r\n## [1.9.0] - 2026-01-01\r\n\r\n### Fixed\r\n\r\n- old\r\n\r\n[1.9.0]: https://example.test/1.9.0\r\n",
            file);
    }

    [Fact]
    public async Task Running_it_again_changes_nothing_and_a_different_section_needs_Force()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.0.0"));
        git.Commit("feat: first");
        var request = new ChangelogRequest(git.Clone, "1.0.0", Date: Day);
        await ChangelogUpdater.UpdateAsync(request, OperationHost.Silent, CancellationToken.None);
        var once = git.Read("CHANGELOG.md");

        var again = await ChangelogUpdater.UpdateAsync(request, OperationHost.Silent, CancellationToken.None);
        git.Commit("feat: second");
        var error = await Assert.ThrowsAsync<DeployException>(() => ChangelogUpdater.UpdateAsync(request, OperationHost.Silent, CancellationToken.None));
        var forced = await ChangelogUpdater.UpdateAsync(request with { Force = true }, OperationHost.Silent, CancellationToken.None);

        Assert.False(again!.Written);
        Assert.Equal(ReleaseErrors.ChangelogSectionExists, error.ErrorId);
        Assert.True(forced!.Written);
        Assert.Equal(2, forced.Added.Count);
        Assert.Equal(1, CountOf(git.Read("CHANGELOG.md"), "## [1.0.0]"));
        Assert.NotEqual(once, git.Read("CHANGELOG.md"));
    }

    [Fact]
    public async Task WhatIf_writes_nothing()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.0.0"));
        git.Commit("feat: first");
        var host = new RecordingHost(Approval.WhatIf);

        var section = await ChangelogUpdater.UpdateAsync(new ChangelogRequest(git.Clone, Date: Day), host.Host, CancellationToken.None);

        Assert.Null(section);
        Assert.False(File.Exists(Path.Join(git.Clone, "CHANGELOG.md")));
        Assert.Contains("Add the section for 1.0.0 (1 entries from 2 commits)", host.Asked.Single());
    }

    [Fact]
    public void A_release_without_notable_changes_says_so()
    {
        Assert.Equal("## [1.0.1] - 2026-12-01\n\nNo notable changes.", ChangelogDocument.Render("1.0.1", Day, [("Added", [])]));
    }

    private static string StripSha(string entry) => entry[..entry.LastIndexOf(" (", StringComparison.Ordinal)];

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
}
