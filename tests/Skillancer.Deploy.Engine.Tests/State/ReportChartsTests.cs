using System.Text.RegularExpressions;
using System.Xml.Linq;
using Skillancer.Deploy.Engine.State.Identity;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Tests.State;

/// <summary>The charts a record keeps, as the reports draw them: SVG, the HTML page and the Markdown's images, and the codec's cap.</summary>
public class ReportChartsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 14, 15, 2, TimeSpan.Zero);

    private static readonly RecordChart Canary = new()
    {
        Title = "web v1.2.5: error ratio, canary against stable",
        Unit = ChartUnit.Ratio,
        Series =
        [
            new ChartSeries("canary", Points(0.02, 0.09, 0.12)),
            new ChartSeries("stable", Points(0.004, 0.005, 0.004)),
            new ChartSeries("limit: stable + 0.5 points", Points(0.009, 0.010, 0.009)) { Limit = true },
        ],
        Thresholds = [new ChartThreshold("consider rollback", 0.05), new ChartThreshold("way above", 5)],
        Marks = [new ChartMark(Start, "step 1: 10%"), new ChartMark(Start.AddSeconds(15), "aborted")],
    };

    private static readonly RecordChart Latency = new()
    {
        Title = "web v1.2.5: p95 latency <canary> & stable",
        Unit = ChartUnit.Seconds,
        Series = [new ChartSeries("canary", Points(0.29, 0.30)), new ChartSeries("stable", Points(0.146, 0.15))],
    };

    private static readonly DeploymentRecord Record = new()
    {
        Id = "20261203-141502-9f3a",
        Kind = RecordKind.Canary,
        Environment = "staging",
        Version = "v1.2.5",
        Services = ["web"],
        Action = "Invoke-SkCanary",
        Who = new DeployerIdentity { UserName = "alice@skillancer.test", Verified = true, OsUser = "alice", HostName = "build-7" },
        StartedAt = Start,
        EndedAt = Start.AddSeconds(20),
        Status = RecordStatus.RolledBack,
        Steps = [new RecordStep { Name = "canary step 1 (10%)", Status = "Fail", Failed = true, Detail = "canary error ratio 12% <above> 5%" }],
        Charts = [Canary, Latency],
    };

    [Fact]
    public void An_svg_chart_has_a_dot_per_measured_point_and_draws_limits_thresholds_and_marks()
    {
        var svg = SvgChart.Draw(Canary);

        Assert.Equal("chart", (string)svg.Attribute("class")!);
        Assert.Equal("6", (string)svg.Attribute("data-points")!);
        var dots = svg.Elements(Svg + "circle").Where(c => (string?)c.Attribute("class") == "point").ToList();
        Assert.Equal(["canary", "canary", "canary", "stable", "stable", "stable"], dots.Select(d => (string)d.Attribute("data-series")!));
        Assert.Equal(["canary", "stable"], svg.Elements(Svg + "polyline").Where(p => (string?)p.Attribute("class") == "series").Select(p => (string)p.Attribute("data-series")!));
        var limit = Assert.Single(svg.Elements(Svg + "polyline"), p => (string?)p.Attribute("class") == "limit");
        Assert.NotNull(limit.Attribute("stroke-dasharray"));
        Assert.Single(svg.Elements(Svg + "line"), l => (string?)l.Attribute("class") == "threshold");
        Assert.Equal(2, svg.Elements(Svg + "line").Count(l => (string?)l.Attribute("class") == "mark"));
        var texts = svg.Elements(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("consider rollback 5%", texts);
        Assert.Contains("way above 500%: above the chart", texts);
        Assert.Contains("aborted", texts);
        Assert.Contains("14:15:02", texts);
        // The highest dot (12%) is inside the plot, below its top.
        Assert.All(dots, d => Assert.InRange(double.Parse((string)d.Attribute("cy")!, System.Globalization.CultureInfo.InvariantCulture), 48, 260));
    }

    [Fact]
    public void An_svg_chart_without_data_says_so()
    {
        var svg = SvgChart.Draw(Canary with { Series = [], Marks = [] });

        Assert.Equal("0", (string)svg.Attribute("data-points")!);
        Assert.Contains("no data", svg.Elements(Svg + "text").Select(t => t.Value));
    }

    [Fact]
    public void The_html_page_holds_every_chart_inline_and_nothing_that_loads()
    {
        var html = HtmlReport.Write(Record);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("content=\"default-src 'none'; style-src 'unsafe-inline'\"", html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(html, "<svg "));
        Assert.DoesNotMatch("(?i)<script|<link|<img|<iframe|\\ssrc=|\\shref=|url\\(|@import", html);
        // Every text from the record is encoded, in the page as in its charts.
        Assert.Contains("canary error ratio 12% &lt;above&gt; 5%", html, StringComparison.Ordinal);
        Assert.Contains("web v1.2.5: p95 latency &lt;canary&gt; &amp; stable", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<canary>", html, StringComparison.Ordinal);
        foreach (Match svg in Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline))
        {
            Assert.Equal("chart", (string)XElement.Parse(svg.Value).Attribute("class")!);
        }
    }

    [Fact]
    public void Markdown_links_each_chart_as_an_image_or_lists_it()
    {
        var linked = DeploymentReport.ToMarkdown(Record, (number, _) => $"report-chart-{number}.svg");
        var listed = DeploymentReport.ToMarkdown(Record);

        Assert.Contains("![web v1.2.5: error ratio, canary against stable](report-chart-1.svg)", linked, StringComparison.Ordinal);
        Assert.Contains("![web v1.2.5: p95 latency <canary> & stable](report-chart-2.svg)", linked, StringComparison.Ordinal);
        Assert.Contains("- web v1.2.5: error ratio, canary against stable (6 points; drawn by Export-SkDeploymentReport -Format Html, or as files beside the Markdown with -Path)", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("![", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_files_put_a_markdown_reports_charts_beside_it()
    {
        var folder = Directory.CreateTempSubdirectory("skdeploy-report-").FullName;
        try
        {
            var written = await ReportFiles.WriteAsync(Record, ReportFormat.Markdown, Path.Join(folder, "canary.md"), CancellationToken.None);

            Assert.Equal([Path.Join(folder, "canary.md"), Path.Join(folder, "canary-chart-1.svg"), Path.Join(folder, "canary-chart-2.svg")], written);
            Assert.Equal("chart", (string)XDocument.Load(written[2]).Root!.Attribute("class")!);
            Assert.Contains("](canary-chart-2.svg)", await File.ReadAllTextAsync(written[0]), StringComparison.Ordinal);
            var missing = await Assert.ThrowsAsync<Skillancer.Deploy.Engine.Primitives.DeployException>(() => ReportFiles.WriteAsync(Record, ReportFormat.Html, Path.Join(folder, "no-such-folder", "r.html"), CancellationToken.None));
            Assert.Equal("ReportNotWritten", missing.ErrorId);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_codec_keeps_the_charts_and_thins_a_long_series_keeping_its_ends()
    {
        var points = Enumerable.Range(0, 1000).Select(i => new ChartPoint(Start.AddSeconds(i), i)).ToList();
        var record = Record with { Charts = [Canary with { Series = [new ChartSeries("canary", points)] }] };

        var capped = RecordCodec.Cap(record);
        var back = RecordCodec.FromJson(RecordCodec.ToJson(capped))!;

        var series = Assert.Single(Assert.Single(back.Charts).Series);
        Assert.Equal(RecordCodec.ChartPointLimit, series.Points.Count);
        Assert.Equal((0, 999), (series.Points[0].Value, series.Points[^1].Value));
        Assert.Contains("1 chart series were thinned to 360 evenly spaced points.", back.Notes);
        Assert.Equal(Record.Charts, RecordCodec.FromJson(RecordCodec.ToJson(Record))!.Charts, new ChartComparer());
    }

    [Fact]
    public void A_resumed_runs_charts_continue_the_earlier_ones_by_title_and_series()
    {
        var earlier = Canary with { Series = [new ChartSeries("canary", Points(0.01, 0.02))], Marks = [new ChartMark(Start, "step 1: 10%")] };
        var later = Canary with
        {
            Series = [new ChartSeries("canary", [new ChartPoint(Start.AddSeconds(5), 0.02), new ChartPoint(Start.AddSeconds(20), 0.03)]), new ChartSeries("stable", Points(0.004))],
            Marks = [new ChartMark(Start, "step 1: 10%"), new ChartMark(Start.AddSeconds(15), "step 2: 25%")],
        };

        var continued = RecordChart.Continued([earlier, Latency], [later]);

        Assert.Equal([Canary.Title, Latency.Title], continued.Select(c => c.Title));
        Assert.Equal([0.01, 0.02, 0.03], continued[0].Series[0].Points.Select(p => p.Value));   // the point both had, once
        Assert.Equal(["canary", "stable"], continued[0].Series.Select(s => s.Name));
        Assert.Equal(["step 1: 10%", "step 2: 25%"], continued[0].Marks.Select(m => m.Label));
        Assert.Same(Latency, continued[1]);
    }

    private static ChartPoint[] Points(params double[] values) => [.. values.Select((v, i) => new ChartPoint(Start.AddSeconds(5 * i), v))];

    // Records compare their lists by reference; a chart read back is equal when its numbers and words are.
    private sealed class ChartComparer : IEqualityComparer<RecordChart>
    {
        public bool Equals(RecordChart? x, RecordChart? y) => Flat(x!) == Flat(y!);

        public int GetHashCode(RecordChart obj) => Flat(obj).GetHashCode(StringComparison.Ordinal);

        private static string Flat(RecordChart c) => string.Join("|", (string[])[c.Title, c.Unit.ToString(),
            .. c.Series.Select(s => $"{s.Name}:{s.Limit}:{string.Join(",", s.Points.Select(p => $"{p.At:O}={p.Value}"))}"),
            .. c.Thresholds.Select(t => $"{t.Name}={t.Value}"), .. c.Marks.Select(m => $"{m.At:O}={m.Label}")]);
    }
}
