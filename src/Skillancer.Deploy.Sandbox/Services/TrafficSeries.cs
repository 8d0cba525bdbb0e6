using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// The counters of one series (environment, namespace, service, track): requests, errors, and the
/// latency histogram's cumulative buckets and sum. The +Inf bucket and the histogram's count are the
/// requests themselves, so they always agree. Counts are fractional: a tick serves rate × seconds.
/// </summary>
internal sealed class TrafficSeries
{
    private readonly double[] _buckets = new double[LatencyHistogram.Bounds.Count];
    private readonly SeriesNoise _noise;

    /// <summary>A series with nothing counted yet.</summary>
    public TrafficSeries(string environment, string ns, string service, string track)
    {
        Labels = $"environment=\"{environment}\",namespace=\"{ns}\",service=\"{service}\",track=\"{track}\"";
        _noise = new SeriesNoise($"{ns}\n{service}\n{track}");
    }

    /// <summary>The labels, as Prometheus' text format writes them between braces.</summary>
    public string Labels { get; }

    /// <summary>Every request served: <c>http_requests_total</c>, and the histogram's count and +Inf bucket.</summary>
    public double Requests { get; private set; }

    /// <summary>The requests answered with a server error: <c>http_errors_total</c>.</summary>
    public double Errors { get; private set; }

    /// <summary>The requests that took at most each of <see cref="LatencyHistogram.Bounds"/>: the histogram's cumulative buckets.</summary>
    public IReadOnlyList<double> CumulativeBuckets => _buckets;

    /// <summary>The seconds all requests took together: the histogram's sum.</summary>
    public double DurationSum { get; private set; }

    /// <summary>Counts what <paramref name="load"/> serves over <paramref name="spans"/>, each tick with its own noise.</summary>
    public void Serve(IReadOnlyList<GroupLoad> load, IReadOnlyList<TickSpan> spans)
    {
        foreach (var span in spans)
        {
            var errorFactor = 1.0;
            var latencyStep = 0;
            if (span.Tick is { } tick)
            {
                _noise.MoveTo(tick);
                errorFactor = _noise.ErrorFactor;
                latencyStep = _noise.LatencyStep;
            }

            foreach (var group in load)
            {
                var requests = group.RequestsPerSecond * span.Seconds;
                if (requests <= 0)
                {
                    continue;
                }

                var shares = LatencyHistogram.For(group.Behaviour, latencyStep);
                Requests += requests;
                Errors += requests * ImageRules.ErrorRatio(group.Behaviour) * errorFactor;
                DurationSum += requests * shares.MeanSeconds;
                for (var i = 0; i < _buckets.Length; i++)
                {
                    _buckets[i] += requests * shares.CumulativeShares[i];
                }
            }
        }
    }
}
