using System.Xml.Linq;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Identity;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Tests.State;

/// <summary>The reports of a record, and the journal's query.</summary>
public class DeploymentReportTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 14, 15, 2, TimeSpan.Zero);

    private static readonly DeploymentRecord RolledBack = new()
    {
        Id = "20261203-141502-9f3a",
        Kind = RecordKind.Rollout,
        Environment = "production",
        Version = "v1.2.4",
        Services = ["api-gateway", "web"],
        Action = "Start-SkRollout",
        EmergencyReason = "INC-2231: EU card payments fail",
        Who = new DeployerIdentity { UserName = "alice@skillancer.test", Groups = ["skillancer-deployers"], Verified = true, OsUser = "alice", HostName = "build-7" },
        StartedAt = Start,
        EndedAt = Start.AddSeconds(95),
        Status = RecordStatus.RolledBack,
        Steps =
        [
            new RecordStep { Name = "rollout api-gateway", Status = "Complete", Duration = TimeSpan.FromSeconds(40), Detail = "skillancer/api-gateway:v1.2.3 -> skillancer/api-gateway:v1.2.4: ok" },
            new RecordStep { Name = "rollout web", Status = "Failed", Failed = true, Duration = TimeSpan.FromSeconds(30), Detail = "ProgressDeadlineExceeded | pods crash" },
            new RecordStep { Name = "rollback web", Status = "RolledBack", Undo = true, Duration = TimeSpan.FromSeconds(25), Detail = "back on v1.2.3" },
        ],
        Notes = ["Took the lock over from ghost@skillancer.test (Start-SkRollout v1.2.3, since 2026-12-03 14:00:00 UTC)."],
    };

    [Fact]
    public void Markdown_is_a_summary_and_a_timeline_from_start_to_end()
    {
        var lines = DeploymentReport.ToMarkdown(RolledBack).Split('\n');

        Assert.Equal("# Rollout v1.2.4 to production: RolledBack", lines[0]);
        Assert.Contains("| Who | alice@skillancer.test, groups skillancer-deployers; alice on build-7 |", lines);
        Assert.Contains("| Started | 2026-12-03 14:15:02 UTC |", lines);
        Assert.Contains("| Ended | 2026-12-03 14:16:37 UTC (after 1m35s) |", lines);
        Assert.Contains("| Emergency | INC-2231: EU card payments fail |", lines);
        Assert.Contains("| 14:15:02 | started by alice@skillancer.test | Running | | |", lines);
        Assert.Contains("| | rollout web | **Failed** | 30s | ProgressDeadlineExceeded \\| pods crash |", lines);
        Assert.Contains("| 14:16:37 | ended | RolledBack | 1m35s | |", lines);
        Assert.Contains("- Took the lock over from ghost@skillancer.test (Start-SkRollout v1.2.3, since 2026-12-03 14:00:00 UTC).", lines);
    }

    [Fact]
    public void JUnit_has_a_test_case_per_step_and_a_failure_for_each_failed_one()
    {
        var suite = XDocument.Parse(DeploymentReport.ToJUnit(RolledBack)).Root!.Element("testsuite")!;

        Assert.Equal(("3", "1", "0", "95.000"), ((string)suite.Attribute("tests")!, (string)suite.Attribute("failures")!, (string)suite.Attribute("skipped")!, (string)suite.Attribute("time")!));
        Assert.Equal(["rollout api-gateway", "rollout web", "rollback web"], suite.Elements("testcase").Select(c => (string)c.Attribute("name")!));
        Assert.Equal("production.Rollout", (string)suite.Element("testcase")!.Attribute("classname")!);
        var failure = suite.Elements("testcase").Single(c => c.Element("failure") is not null).Element("failure")!;
        Assert.Equal("rollout web: Failed", (string)failure.Attribute("message")!);
    }

    [Fact]
    public void JUnit_of_a_record_still_running_is_a_skipped_case_and_an_error_without_steps_a_failure()
    {
        var running = XDocument.Parse(DeploymentReport.ToJUnit(RolledBack with { Steps = [], EndedAt = null, Status = RecordStatus.Running })).Root!.Element("testsuite")!;
        var failed = XDocument.Parse(DeploymentReport.ToJUnit(RolledBack with { Steps = [], Status = RecordStatus.Failed, Error = "no canary", ErrorId = "CanaryNotFound" })).Root!.Element("testsuite")!;

        Assert.Equal("1", (string)running.Attribute("skipped")!);
        Assert.Equal("CanaryNotFound", (string)failed.Element("testcase")!.Element("failure")!.Attribute("type")!);
    }

    [Fact]
    public void Json_round_trips_the_whole_record()
    {
        var json = DeploymentReport.Write(RolledBack, ReportFormat.Json);
        var back = RecordCodec.FromJson(json)!;

        Assert.Contains("\"status\": \"RolledBack\"", json, StringComparison.Ordinal);
        Assert.Equal(RolledBack.Steps, back.Steps);
        Assert.Equal((RolledBack.Who.UserName, RolledBack.Who.HostName, RolledBack.Duration), (back.Who.UserName, back.Who.HostName, back.Duration));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(null, "1234")]
    public void A_query_for_no_record_or_a_malformed_id_is_InvalidJournalQuery(int? last, string? id)
    {
        var refused = Assert.Throws<DeployException>(() => new JournalQuery { Last = last, Id = id }.Validate());

        Assert.Equal(StateErrors.InvalidJournalQuery, refused.ErrorId);
    }

    [Fact]
    public void A_query_filters_by_version_either_way_kind_and_time_and_keeps_the_newest()
    {
        var older = RolledBack with { Id = "20261203-100000-000001", StartedAt = Start.AddHours(-4), Version = "v1.2.3" };
        var canary = RolledBack with { Id = "20261203-150000-000002", StartedAt = Start.AddHours(1), Kind = RecordKind.Canary };
        var records = new[] { canary, RolledBack, older };

        Assert.Equal([canary, RolledBack], new JournalQuery { Version = "1.2.4" }.Filter(records));
        Assert.Equal([RolledBack, older], new JournalQuery { Kinds = [RecordKind.Rollout] }.Filter(records));
        Assert.Equal([canary], new JournalQuery { Since = Start.AddMinutes(1) }.Filter(records));
        Assert.Equal([canary, RolledBack], new JournalQuery { Last = 2 }.Filter(records));
    }
}
