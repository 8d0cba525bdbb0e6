using System.Globalization;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>
/// What every human-readable report of a record says, whatever its format (Markdown, HTML): the title, the summary's
/// rows and the timeline's. The formats only differ in how they write them down.
/// </summary>
internal static class ReportSections
{
    /// <summary>One row of the timeline: the start, each step, the end.</summary>
    public sealed record TimelineRow(string When, string Step, string Status, bool Failed, string Took, string Detail);

    /// <summary>"Deploy v1.2.3 to staging".</summary>
    public static string Title(DeploymentRecord record) =>
        $"{record.Kind}{(record.Version is null ? "" : " " + record.Version)} {(record.Kind == RecordKind.Unlock ? "in" : "to")} {record.Environment}";

    /// <summary>The summary table: record, action, environment, version, services, who, approvals, times, status, emergency.</summary>
    public static IReadOnlyList<(string Name, string Value)> Summary(DeploymentRecord record)
    {
        var rows = new List<(string, string)>
        {
            ("Record", record.Id),
            ("Action", $"{record.Action} ({(record.Recovery ? "a recovery action" : "a change")})"),
            ("Environment", record.Environment),
            ("Version", record.Version ?? "none"),
            ("Services", record.Services.Count == 0 ? "none" : string.Join(", ", record.Services)),
            ("Who", Who(record)),
        };
        if (record.ApprovedBy.Count > 0)
        {
            rows.Add(("Approved by", string.Join("; ", record.ApprovedBy)));
        }

        rows.Add(("Started", Time(record.StartedAt)));
        rows.Add(("Ended", record.EndedAt is { } ended ? $"{Time(ended)} (after {DurationParser.Format(record.Duration!.Value)})" : "not yet: still running, or its process died"));
        rows.Add(("Status", record.Status.ToString()));
        if (record.EmergencyReason is { } reason)
        {
            rows.Add(("Emergency", reason));
        }

        return rows;
    }

    /// <summary>The timeline: who started it, each step with how it ended and what it did, and the end.</summary>
    public static IReadOnlyList<TimelineRow> Timeline(DeploymentRecord record)
    {
        var rows = new List<TimelineRow> { new(Clock(record.StartedAt), $"started by {record.Who.UserName}", "Running", false, "", "") };
        rows.AddRange(record.Steps.Select(step => new TimelineRow(
            step.StartedAt is { } at ? Clock(at) : "",
            step.Name,
            step.Status,
            step.Failed,
            step.Duration is { } d ? DurationParser.Format(d) : "",
            step.DetailSha256 is { } digest ? $"{step.Detail} (cut; SHA-256 {digest})" : step.Detail)));
        if (record.EndedAt is { } end)
        {
            rows.Add(new TimelineRow(Clock(end), "ended", record.Status.ToString(), false, DurationParser.Format(record.Duration!.Value), ""));
        }

        return rows;
    }

    /// <summary>"2026-12-03 14:15:02 UTC".</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>"14:15:02" (UTC).</summary>
    public static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Who(DeploymentRecord record)
    {
        var who = record.Who;
        var groups = who.Groups.Count == 0 ? "" : $", groups {string.Join(", ", who.Groups)}";
        return $"{who.UserName}{(who.Verified ? "" : " (unverified: the kubeconfig's user name)")}{groups}; {who.OsUser} on {who.HostName}";
    }
}
