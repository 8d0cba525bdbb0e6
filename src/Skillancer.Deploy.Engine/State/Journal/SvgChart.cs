using System.Globalization;
using System.Xml.Linq;

namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>
/// Draws a <see cref="RecordChart"/> as one self-contained SVG: a line and a dot per measured point for each series,
/// limits dashed, thresholds as labelled dashed lines across the plot, marks as labelled vertical lines, a value axis
/// (percent or milliseconds), a time axis (UTC) and a legend. No script, no font or image from anywhere else. The
/// root carries <c>class="chart"</c> and <c>data-points</c> (the measured points drawn), and each dot <c>class="point"</c>.
/// </summary>
public static class SvgChart
{
    private const double Width = 860;
    private const double Height = 300;
    private const double Left = 64;
    private const double Right = Width - 240;
    private const double Top = 48;
    private const double Bottom = Height - 40;
    private const int Ticks = 5;

    // Colour-blind-safe (Okabe-Ito), in legend order.
    private static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The chart as an <c>&lt;svg&gt;</c> element.</summary>
    public static XElement Draw(RecordChart chart)
    {
        var points = chart.Series.SelectMany(s => s.Points).ToList();
        var times = points.Select(p => p.At).Concat(chart.Marks.Select(m => m.At)).ToList();
        var (start, end) = times.Count == 0 ? (DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch) : (times.Min(), times.Max());
        if (end - start < TimeSpan.FromSeconds(2))
        {
            (start, end) = (start - TimeSpan.FromSeconds(30), end + TimeSpan.FromSeconds(30));
        }

        var (top, tick) = Scale(chart, points);
        double X(DateTimeOffset at) => Left + ((at - start) / (end - start) * (Right - Left));
        double Y(double value) => Bottom - (Math.Min(value, top) / top * (Bottom - Top));

        var svg = new XElement(Svg + "svg",
            new XAttribute("viewBox", $"0 0 {Width} {Height}"),
            new XAttribute("width", Width),
            new XAttribute("height", Height),
            new XAttribute("role", "img"),
            new XAttribute("aria-label", chart.Title),
            new XAttribute("class", "chart"),
            new XAttribute("data-points", chart.PointCount),
            new XAttribute("font-family", "sans-serif"),
            new XAttribute("font-size", 11),
            new XElement(Svg + "title", chart.Title),
            new XElement(Svg + "rect", new XAttribute("x", 0), new XAttribute("y", 0), new XAttribute("width", Width), new XAttribute("height", Height), new XAttribute("fill", "#ffffff")));

        for (var value = 0.0; value <= top * 1.0001; value += tick)
        {
            var y = Y(value);
            svg.Add(Line(Left, y, Right, y, "#e5e5e5"), Text(Left - 6, y + 4, Value(chart.Unit, value, tick), "end"));
        }

        for (var i = 0; i <= Ticks; i++)
        {
            var at = start + ((end - start) * i / Ticks);
            svg.Add(Text(X(at), Bottom + 16, at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture), "middle"));
        }

        svg.Add(Line(Left, Bottom, Right, Bottom, "#666666"), Line(Left, Top, Left, Bottom, "#666666"),
            Text((Left + Right) / 2, Height - 6, "time (UTC)", "middle"));

        foreach (var threshold in chart.Thresholds)
        {
            if (threshold.Value > top)
            {
                continue;
            }

            var label = $"{threshold.Name} {Value(chart.Unit, threshold.Value, top)}";
            var y = Y(threshold.Value);
            svg.Add(Line(Left, y, Right, y, "#B00020", dashed: true, cssClass: "threshold"), Text(Right - 4, y - 4, label, "end", "#B00020"));
        }

        var markIndex = 0;
        foreach (var mark in chart.Marks.OrderBy(m => m.At))
        {
            var x = X(mark.At);
            var labelY = Top - 8 - ((markIndex++ % 3) * 12);
            svg.Add(Line(x, labelY + 2, x, Bottom, "#444444", dashed: true, cssClass: "mark"), Text(x + 3, labelY, mark.Label, "start", "#444444"));
        }

        var legendY = Top;
        for (var i = 0; i < chart.Series.Count; i++)
        {
            var series = chart.Series[i];
            var colour = series.Limit ? "#888888" : Palette[i % Palette.Length];
            var line = new XElement(Svg + "polyline",
                new XAttribute("points", string.Join(" ", series.Points.Select(p => $"{Number(X(p.At))},{Number(Y(p.Value))}"))),
                new XAttribute("fill", "none"),
                new XAttribute("stroke", colour),
                new XAttribute("stroke-width", series.Limit ? 1 : 1.5),
                new XAttribute("class", series.Limit ? "limit" : "series"),
                new XAttribute("data-series", series.Name));
            if (series.Limit)
            {
                line.Add(new XAttribute("stroke-dasharray", "6 3"));
            }

            svg.Add(line);
            if (!series.Limit)
            {
                svg.Add(series.Points.Select(p => new XElement(Svg + "circle",
                    new XAttribute("cx", Number(X(p.At))), new XAttribute("cy", Number(Y(p.Value))), new XAttribute("r", 2.5),
                    new XAttribute("fill", colour), new XAttribute("class", "point"), new XAttribute("data-series", series.Name),
                    new XElement(Svg + "title", $"{series.Name} {p.At.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}: {Value(chart.Unit, p.Value, p.Value)}"))));
            }

            svg.Add(Line(Right + 14, legendY, Right + 34, legendY, colour, dashed: series.Limit), Text(Right + 40, legendY + 4, series.Name, "start"));
            legendY += 16;
        }

        foreach (var threshold in chart.Thresholds.Where(t => t.Value > top))
        {
            svg.Add(Text(Right + 14, legendY + 4, $"{threshold.Name} {Value(chart.Unit, threshold.Value, threshold.Value)}: above the chart", "start", "#B00020"));
            legendY += 16;
        }

        if (points.Count == 0)
        {
            svg.Add(Text((Left + Right) / 2, (Top + Bottom) / 2, "no data", "middle"));
        }

        return svg;
    }

    // The value axis: a round step (1, 2, 2.5 or 5 times a power of ten) and a top that is a whole number of steps, a
    // little above the highest point and high enough to show the lowest threshold.
    private static (double Top, double Tick) Scale(RecordChart chart, List<ChartPoint> points)
    {
        var highest = points.Count == 0 ? 0 : points.Max(p => p.Value);
        var lowestThreshold = chart.Thresholds.Count == 0 ? 0 : chart.Thresholds.Min(t => t.Value);
        var top = Math.Max(highest * 1.1, lowestThreshold * 1.1);
        if (top <= 0)
        {
            top = chart.Unit == ChartUnit.Ratio ? 0.01 : 0.1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(top / Ticks)));
        var tick = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(t => t * Ticks >= top);
        return (Math.Ceiling((top / tick) - 1e-9) * tick, tick);
    }

    // 0.0123 as "1.23%", 0.146 s as "146 ms"; the decimals follow the step between values told apart.
    private static string Value(ChartUnit unit, double value, double range)
    {
        var scaled = unit == ChartUnit.Ratio ? value * 100 : value * 1000;
        var scale = unit == ChartUnit.Ratio ? range * 100 : range * 1000;
        var format = Math.Abs(scale - Math.Round(scale)) < 1e-9 && scale >= 1 ? "0" : Math.Abs((scale * 10) - Math.Round(scale * 10)) < 1e-9 && scale >= 0.1 ? "0.0" : "0.00";
        return scaled.ToString(format, CultureInfo.InvariantCulture) + (unit == ChartUnit.Ratio ? "%" : " ms");
    }

    private static XElement Line(double x1, double y1, double x2, double y2, string colour, bool dashed = false, string? cssClass = null)
    {
        var line = new XElement(Svg + "line",
            new XAttribute("x1", Number(x1)), new XAttribute("y1", Number(y1)), new XAttribute("x2", Number(x2)), new XAttribute("y2", Number(y2)),
            new XAttribute("stroke", colour), new XAttribute("stroke-width", 1));
        if (dashed)
        {
            line.Add(new XAttribute("stroke-dasharray", "4 3"));
        }

        if (cssClass is not null)
        {
            line.Add(new XAttribute("class", cssClass));
        }

        return line;
    }

    private static XElement Text(double x, double y, string text, string anchor, string colour = "#333333") =>
        new(Svg + "text", new XAttribute("x", Number(x)), new XAttribute("y", Number(y)), new XAttribute("text-anchor", anchor), new XAttribute("fill", colour), text);

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
