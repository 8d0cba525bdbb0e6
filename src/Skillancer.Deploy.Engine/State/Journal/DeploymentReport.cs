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

    /// <summary>One self-contained page (no script, no network): the summary, the timeline and the charts, inline SVG.</summary>
    Html,
}

/// <summary>A deployment record written out for people (Markdown, HTML), for tools (JSON) and for CI (JUnit).</summary>
public static class DeploymentReport
{
    /// <summary>The record in <paramref name="format"/>.</summary>
    public static string Write(DeploymentRecord record, ReportFormat format) => format switch
    {
        ReportFormat.Markdown => ToMarkdown(record),
        ReportFormat.Json => RecordCodec.ToJson(record),
        ReportFormat.JUnit => ToJUnit(record),
        ReportFormat.Html => HtmlReport.Write(record),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>
    /// The summary table, the timeline (start, each step, end), the charts, the error and the notes. Each chart is an
    /// image at <paramref name="chartLink"/>'s address (a file the caller writes beside the report); without it, the
    /// charts are listed by title, with where to see them (a console, GitHub's job summary: no images from elsewhere).
    /// </summary>
    public static string ToMarkdown(DeploymentRecord record, Func<int, RecordChart, string>? chartLink = null)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {ReportSections.Title(record)}: {record.Status}\n\n");
        text.Append("| | |\n| --- | --- |\n");
        foreach (var (name, value) in ReportSections.Summary(record))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {Cell(name == "Record" ? $"`{value}`" : value)} |\n");
        }

        text.Append("\n## Timeline\n\n| When | Step | Status | Took | Detail |\n| --- | --- | --- | --- | --- |\n");
        foreach (var row in ReportSections.Timeline(record))
        {
            text.Append(Line(row.When, Cell(row.Step), row.Failed ? "**" + Cell(row.Status) + "**" : Cell(row.Status), row.Took, Cell(row.Detail)));
        }

        if (record.Charts.Count > 0)
        {
            text.Append("\n## Charts\n");
            for (var i = 0; i < record.Charts.Count; i++)
            {
                var chart = record.Charts[i];
                var alt = Cell(chart.Title).Replace("]", "\\]", StringComparison.Ordinal);
                text.Append(chartLink?.Invoke(i + 1, chart) is { } address
                    ? $"\n![{alt}]({address})\n"
                    : $"\n- {alt} ({chart.PointCount} points; drawn by Export-SkDeploymentReport -Format Html, or as files beside the Markdown with -Path)\n");
            }
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
        var suiteName = $"{record.Environment} {ReportSections.Title(record)} ({record.Id})";
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

    // A table row: "| a | b |", an empty cell "| |".
    private static string Line(params string[] cells) => "|" + string.Concat(cells.Select(c => c.Length == 0 ? " |" : $" {c} |")) + "\n";

    // A table cell: no line breaks, no column separators.
    private static string Cell(string value) => value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Seconds(TimeSpan? took) => (took ?? TimeSpan.Zero).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
