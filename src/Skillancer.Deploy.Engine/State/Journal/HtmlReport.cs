using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>
/// A record as one self-contained HTML page for the post-mortem: the summary, the timeline, every chart the record keeps
/// drawn inline as SVG (<see cref="SvgChart"/>), the error and the notes. It has no script and loads nothing: its
/// Content-Security-Policy forbids every fetch, so the page reads the same offline, attached to a ticket, years later.
/// </summary>
public static class HtmlReport
{
    private const string Style = """
        body { font-family: sans-serif; margin: 2em; color: #222; max-width: 72em; }
        table { border-collapse: collapse; margin-bottom: 1.5em; }
        th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; }
        .failed { color: #B00020; font-weight: bold; }
        figure { margin: 0 0 2em 0; }
        figcaption { font-weight: bold; margin-bottom: 0.4em; }
        """;

    /// <summary>The page.</summary>
    public static string Write(DeploymentRecord record)
    {
        var title = $"{ReportSections.Title(record)}: {record.Status}";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{Encode(title)}</title>\n<style>\n{Style}</style>\n</head>\n<body>\n<h1>{Encode(title)}</h1>\n<table class=\"summary\">\n");
        foreach (var (name, value) in ReportSections.Summary(record))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{Encode(name)}</th><td>{Encode(value)}</td></tr>\n");
        }

        html.Append("</table>\n<h2>Timeline</h2>\n<table class=\"timeline\">\n<tr><th>When</th><th>Step</th><th>Status</th><th>Took</th><th>Detail</th></tr>\n");
        foreach (var row in ReportSections.Timeline(record))
        {
            var status = row.Failed ? $"<span class=\"failed\">{Encode(row.Status)}</span>" : Encode(row.Status);
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(row.When)}</td><td>{Encode(row.Step)}</td><td>{status}</td><td>{Encode(row.Took)}</td><td>{Encode(row.Detail)}</td></tr>\n");
        }

        html.Append("</table>\n");
        if (record.Charts.Count > 0)
        {
            html.Append("<h2>Charts</h2>\n");
            foreach (var chart in record.Charts)
            {
                html.Append(CultureInfo.InvariantCulture, $"<figure>\n<figcaption>{Encode(chart.Title)}</figcaption>\n{SvgChart.Draw(chart).ToString(SaveOptions.DisableFormatting)}\n</figure>\n");
            }
        }

        if (record.Error is { } error)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Error</h2>\n<p><code>{Encode(record.ErrorId ?? "")}</code>: {Encode(error)}</p>\n");
        }

        if (record.Notes.Count > 0)
        {
            html.Append("<h2>Notes</h2>\n<ul>\n");
            foreach (var note in record.Notes)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Encode(note)}</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
