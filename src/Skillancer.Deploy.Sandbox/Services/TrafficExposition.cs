using System.Globalization;
using System.Text;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// Writes series in Prometheus' text exposition format (version 0.0.4): the counters
/// <c>http_requests_total</c> and <c>http_errors_total</c>, and the histogram
/// <c>http_request_duration_seconds</c> (<c>_bucket{le=...}</c>, <c>_sum</c>, <c>_count</c>), each family
/// whole under its HELP and TYPE lines, as the format requires.
/// </summary>
internal static class TrafficExposition
{
    /// <summary>The exposition of <paramref name="series"/>, in their order.</summary>
    public static string Write(IReadOnlyList<TrafficSeries> series)
    {
        var text = new StringBuilder(256 + (series.Count * 2600));
        text.Append("# HELP http_requests_total Requests served, by service.\n# TYPE http_requests_total counter\n");
        foreach (var s in series)
        {
            Sample(text, "http_requests_total", s.Labels, null, s.Requests);
        }

        text.Append("# HELP http_errors_total Requests answered with a server error, by service.\n# TYPE http_errors_total counter\n");
        foreach (var s in series)
        {
            Sample(text, "http_errors_total", s.Labels, null, s.Errors);
        }

        text.Append("# HELP http_request_duration_seconds How long requests took to answer, by service.\n# TYPE http_request_duration_seconds histogram\n");
        foreach (var s in series)
        {
            for (var i = 0; i < s.CumulativeBuckets.Count; i++)
            {
                Sample(text, "http_request_duration_seconds_bucket", s.Labels, LatencyHistogram.BoundLabels[i], s.CumulativeBuckets[i]);
            }

            Sample(text, "http_request_duration_seconds_bucket", s.Labels, "+Inf", s.Requests);
            Sample(text, "http_request_duration_seconds_sum", s.Labels, null, s.DurationSum);
            Sample(text, "http_request_duration_seconds_count", s.Labels, null, s.Requests);
        }

        return text.ToString();
    }

    private static void Sample(StringBuilder text, string name, string labels, string? le, double value)
    {
        text.Append(name).Append('{').Append(labels);
        if (le is not null)
        {
            text.Append(",le=\"").Append(le).Append('"');
        }

        // Six decimals: a starved canary's buckets grow by thousandths per second, and rate() must still see them.
        text.Append("} ").Append(value.ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
    }
}
