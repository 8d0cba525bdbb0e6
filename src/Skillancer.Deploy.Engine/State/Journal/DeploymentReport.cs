using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>The formats Export-SkDeploymentReport writes.</summary>
public enum ReportFormat
{
    /// <summary>A post-mortem-ready summary and timeline.</summary>
    Markdown,

    /// <summary>The whole record.</summary>
    Json,

    /// <summary>A JUnit XML file with a test case per step, for CI runners.</summary>
    JUnit,
}

/// <summary>A deployment record written out for people (Markdown), for tools (JSON) and for CI (JUnit).</summary>
public static class DeploymentReport
{
    /// <summary>The record in <paramref name="format"/>.</summary>
    public static string Write(DeploymentRecord record, ReportFormat format) => format switch
    {
        ReportFormat.Markdown => ToMarkdown(record),
        ReportFormat.Json => RecordCodec.ToJson(record),
        ReportFormat.JUnit => ToJUnit(record),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The summary table, the timeline (start, each step, end), the error and the notes.</summary>
    public static string ToMarkdown(DeploymentRecord record)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {Title(record)}: {record.Status}\n\n");
        text.Append("| | |\n| --- | --- |\n");
        Row(text, "Record", $"`{record.Id}`");
        Row(text, "Action", $"{record.Action} ({(record.Recovery ? "a recovery action" : "a change")})");
        Row(text, "Environment", record.Environment);
        Row(text, "Version", record.Version ?? "none");
        Row(text, "Services", record.Services.Count == 0 ? "none" : string.Join(", ", record.Services));
        Row(text, "Who", Who(record));
        if (record.ApprovedBy.Count > 0)
        {
            Row(text, "Approved by", string.Join("; ", record.ApprovedBy));
        }

        Row(text, "Started", Time(record.StartedAt));
        Row(text, "Ended", record.EndedAt is { } ended ? $"{Time(ended)} (after {DurationParser.Format(record.Duration!.Value)})" : "not yet: still running, or its process died");
        Row(text, "Status", record.Status.ToString());
        if (record.EmergencyReason is { } reason)
        {
            Row(text, "Emergency", reason);
        }

        text.Append("\n## Timeline\n\n| When | Step | Status | Took | Detail |\n| --- | --- | --- | --- | --- |\n");
        text.Append(CultureInfo.InvariantCulture, $"| {Clock(record.StartedAt)} | started by {Cell(record.Who.UserName)} | Running | | |\n");
        foreach (var step in record.Steps)
        {
            var took = step.Duration is { } d ? DurationParser.Format(d) : "";
            var detail = step.DetailSha256 is { } digest ? $"{step.Detail} (cut; SHA-256 {digest})" : step.Detail;
            text.Append(CultureInfo.InvariantCulture, $"| | {Cell(step.Name)} | {(step.Failed ? "**" + Cell(step.Status) + "**" : Cell(step.Status))} | {took} | {Cell(detail)} |\n");
        }

        if (record.EndedAt is { } end)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Clock(end)} | ended | {record.Status} | {DurationParser.Format(record.Duration!.Value)} | |\n");
        }

        if (record.Error is { } error)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## Error\n\n`{record.ErrorId}`: {error}\n");
        }

        if (record.Notes.Count > 0)
        {
            text.Append("\n## Notes\n\n");
            foreach (var note in record.Notes)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {note}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// One test suite for the record, a test case per step (a failed step is a failure); an error that ended the
    /// action with no failed step is a failed case of its own, and a record still running is a skipped case.
    /// </summary>
    public static string ToJUnit(DeploymentRecord record)
    {
        var suiteName = $"{record.Environment} {Title(record)} ({record.Id})";
        var cases = record.Steps.Select(step => TestCase(record, step.Name, step.Duration,
            step.Failed ? new XElement("failure", new XAttribute("message", $"{step.Name}: {step.Status}"), new XAttribute("type", "StepFailed"), step.Detail) : null)).ToList();
        if (record.Error is { } error && !record.Steps.Any(s => s.Failed))
        {
            cases.Add(TestCase(record, record.Action, record.Duration, new XElement("failure", new XAttribute("message", error), new XAttribute("type", record.ErrorId ?? "Error"))));
        }

        if (record.Status == RecordStatus.Running)
        {
            cases.Add(TestCase(record, record.Action, null, new XElement("skipped", new XAttribute("message", "The action has not ended (or its process died before closing the record)."))));
        }
        else if (cases.Count == 0)
        {
            cases.Add(TestCase(record, record.Action, record.Duration,
                record.Status == RecordStatus.Abandoned ? new XElement("skipped", new XAttribute("message", string.Join(" ", record.Notes))) : null));
        }

        var suite = new XElement("testsuite",
            new XAttribute("name", suiteName),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
            new XAttribute("errors", 0),
            new XAttribute("skipped", cases.Count(c => c.Element("skipped") is not null)),
            new XAttribute("time", Seconds(record.Duration)),
            new XAttribute("timestamp", record.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XAttribute("hostname", record.Who.HostName),
            new XElement("properties",
                Property("environment", record.Environment),
                Property("version", record.Version ?? string.Empty),
                Property("who", record.Who.UserName),
                Property("status", record.Status.ToString())),
            cases);
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite));
        return document.Declaration + "\n" + document.Root;
    }

    private static XElement TestCase(DeploymentRecord record, string name, TimeSpan? took, XElement? outcome) =>
        new("testcase",
            new XAttribute("classname", $"{record.Environment}.{record.Kind}"),
            new XAttribute("name", name),
            new XAttribute("time", Seconds(took)),
            outcome);

    private static XElement Property(string name, string value) => new("property", new XAttribute("name", name), new XAttribute("value", value));

    private static string Title(DeploymentRecord record) =>
        $"{record.Kind}{(record.Version is null ? "" : " " + record.Version)} {(record.Kind == RecordKind.Unlock ? "in" : "to")} {record.Environment}";

    private static string Who(DeploymentRecord record)
    {
        var who = record.Who;
        var groups = who.Groups.Count == 0 ? "" : $", groups {string.Join(", ", who.Groups)}";
        return $"{who.UserName}{(who.Verified ? "" : " (unverified: the kubeconfig's user name)")}{groups}; {who.OsUser} on {who.HostName}";
    }

    private static void Row(StringBuilder text, string name, string value) => text.Append(CultureInfo.InvariantCulture, $"| {name} | {Cell(value)} |\n");

    // A table cell: no line breaks, no column separators.
    private static string Cell(string value) => value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan? took) => (took ?? TimeSpan.Zero).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
