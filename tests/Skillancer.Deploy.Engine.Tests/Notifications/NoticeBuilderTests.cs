using Skillancer.Deploy.Engine.Notifications;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Notifications;

/// <summary>A Complete notice made in a later session finds its key changes in CHANGELOG.md; every notice carries its environment.</summary>
public class NoticeBuilderTests
{
    private const string Changelog = """
        # Changelog

        ## [Unreleased]

        ## [v1.2.3] - 2026-12-01

        ### Breaking Changes

        - **api:** drop /v1 (aaaaaaa)

        ### Added

        - **api:** drop /v1 (aaaaaaa)
        - Search jobs by skill

        ### Security

        * Rotate the signing key

        ## [1.2.2] - 2026-11-01

        - older
        """;

    [Fact]
    public async Task A_Complete_notice_reads_its_versions_section_from_the_repositorys_changelog_and_says_where_in_verbose()
    {
        using var git = GitWorkspace.Create(new Dictionary<string, string>(GitWorkspace.NpmProject("1.2.3")) { ["CHANGELOG.md"] = Changelog });
        var host = new RecordingHost();

        var notice = await NoticeBuilder.BuildAsync(Complete("1.2.3") with { Folder = Path.Join(git.Clone) }, host.Host, CancellationToken.None);

        Assert.EndsWith("Key changes:\n- **api:** drop /v1 (aaaaaaa)\n- Search jobs by skill\n- Rotate the signing key\n\nNo user action required.", notice.Text, StringComparison.Ordinal);
        Assert.Equal([$"Read the key changes of 1.2.3 from {Path.Join(git.Clone, "CHANGELOG.md")}: 3 entries."], host.Verbose.Where(v => v.StartsWith("Read", StringComparison.Ordinal)));
        Assert.Empty(host.Warnings);
    }

    [Fact]
    public async Task A_version_without_a_section_is_said_in_the_notice_and_a_warning_not_passed_off_as_none()
    {
        using var folder = new TempFolder();
        folder.Write("CHANGELOG.md", Changelog);
        var host = new RecordingHost();

        var notice = await NoticeBuilder.BuildAsync(Complete("v2.0.0") with { Folder = folder.Path }, host.Host, CancellationToken.None);

        Assert.Contains("Key changes: not recorded (CHANGELOG.md has no section for v2.0.0).\n", notice.Text, StringComparison.Ordinal);
        Assert.StartsWith($"{Path.Join(folder.Path, "CHANGELOG.md")} has no section for v2.0.0", Assert.Single(host.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_changes_given_are_used_as_they_are_and_the_changelog_is_not_read()
    {
        var host = new RecordingHost();

        var notice = await NoticeBuilder.BuildAsync(Complete("1.2.3") with { KeyChanges = [], Folder = Path.Join(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid()) }, host.Host, CancellationToken.None);

        Assert.Contains("Key changes: none recorded.", notice.Text, StringComparison.Ordinal);
        Assert.Empty(host.Warnings);
    }

    [Fact]
    public async Task Notices_carry_their_environment_and_a_different_one_is_a_TargetMismatch_naming_both()
    {
        var started = await NoticeBuilder.BuildAsync(new NoticeRequest(NoticeKind.Started) { Version = "v1.2.3", Environment = "staging" }, OperationHost.Silent, CancellationToken.None);
        var rollback = await NoticeBuilder.BuildAsync(new NoticeRequest(NoticeKind.Rollback)
        {
            Service = "web", FromVersion = "v1.2.3", ToVersion = "v1.2.2", Reason = "smoke", Environment = "production",
        }, OperationHost.Silent, CancellationToken.None);

        Assert.Equal("staging", started.Environment);
        Assert.Equal("production", rollback.Environment);
        Assert.Equal("staging", NoticeTarget.Resolve(started, null));
        Assert.Equal("staging", NoticeTarget.Resolve(started, "STAGING"));
        var mismatch = Assert.Throws<DeployException>(() => NoticeTarget.Resolve(started, "production"));
        Assert.Equal(TargetMismatch.ErrorId, mismatch.ErrorId);
        Assert.StartsWith("The notice \"🚀 Deployment Started\" is about 'staging', but -Environment names 'production'.", mismatch.Message, StringComparison.Ordinal);
    }

    private static NoticeRequest Complete(string version) => new(NoticeKind.Complete) { Version = version, Time = new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero) };
}
