using System.Globalization;
using System.Text.RegularExpressions;

namespace Skillancer.Deploy.Sandbox.Tests.Infrastructure;

/// <summary>The samples of a /metrics answer, found by name and labels.</summary>
public sealed partial class MetricsText
{
    private MetricsText(string text, IReadOnlyList<MetricSample> samples)
    {
        Text = text;
        Samples = samples;
    }

    /// <summary>The answer as written.</summary>
    public string Text { get; }

    /// <summary>Every sample, in the order written (comment lines left out).</summary>
    public IReadOnlyList<MetricSample> Samples { get; }

    /// <summary>Reads Prometheus' text format, as the sandbox writes it (one sample per line, labels in braces).</summary>
    public static MetricsText Parse(string text)
    {
        var samples = new List<MetricSample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            var match = Line().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var labels = Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            var written = match.Groups["value"].Value;
            samples.Add(new MetricSample(match.Groups["name"].Value, labels, double.Parse(written, CultureInfo.InvariantCulture), written));
        }

        return new MetricsText(text, samples);
    }

    /// <summary>The samples of one metric for one series (namespace, service, track).</summary>
    public IEnumerable<MetricSample> Of(string name, string ns, string service, string track) =>
        Samples.Where(s => s.Name == name && s.Labels["namespace"] == ns && s.Labels["service"] == service && s.Labels["track"] == track);

    /// <summary>The one sample of a metric for a series; fails the test when there is none.</summary>
    public MetricSample One(string name, string ns, string service, string track) => Assert.Single(Of(name, ns, service, track));

    /// <summary>The value of a metric for a series, or null when the series has none.</summary>
    public double? Value(string name, string ns, string service, string track) => Of(name, ns, service, track).SingleOrDefault()?.Value;

    /// <summary>A series' latency histogram: its cumulative buckets by upper bound (+Inf as infinity), in the order written.</summary>
    public IReadOnlyList<(double Le, double Count)> Buckets(string ns, string service, string track) =>
        Of("http_request_duration_seconds_bucket", ns, service, track)
            .Select(s => (s.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(s.Labels["le"], CultureInfo.InvariantCulture), s.Value))
            .ToList();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>\S+)$")]
    private static partial Regex Line();

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex Label();
}
