using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>
/// Asks Prometheus about one interval of a canary: the error ratio and p95 latency of the canary and stable tracks
/// (the traffic metrics' <c>track</c> label), one sample per scrape over the interval, all four in parallel, and the
/// canary's requests since its step began. <see cref="CanaryJudge"/> decides from what it gives.
/// </summary>
internal sealed class CanaryAnalyzer(EnvironmentConfig environment, ServiceConfig service, CanaryAnalysisSettings settings, HttpClient client, TimeSpan scrape, OperationHost host)
{
    private readonly PrometheusSettings _prometheus = ErrorRateQueries.Settings(environment);

    /// <summary>The step between samples: one per scrape.</summary>
    public TimeSpan Scrape => scrape;

    /// <summary>Analyses the interval that ends at <paramref name="end"/>, in step <paramref name="step"/> (1-based) at <paramref name="weight"/>%, begun at <paramref name="stepStart"/>.</summary>
    public async Task<CanarySample> AnalyseAsync(int step, int weight, DateTimeOffset stepStart, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var start = end - settings.Interval + scrape;
        var within = settings.Interval;
        Task<PrometheusSeries> Range(string template, string track) => PrometheusQuery.ReadRangeAsync(
            client, _prometheus.Url, ErrorRateQueries.ForTrack(template, environment, service, track), start < stepStart ? stepStart : start, end, scrape, within, host, cancellationToken);
        var canaryErrors = Range(_prometheus.TrackErrorRateQuery, "canary");
        var stableErrors = Range(_prometheus.TrackErrorRateQuery, "stable");
        var canaryLatency = Range(_prometheus.LatencyQuery, "canary");
        var stableLatency = Range(_prometheus.LatencyQuery, "stable");
        var requests = PrometheusQuery.ReadAsync(
            client, _prometheus.Url, ErrorRateQueries.ForTrack(_prometheus.TrackRequestsQuery, environment, service, "canary", end - stepStart), within, host, cancellationToken);
        await Task.WhenAll(canaryErrors, stableErrors, canaryLatency, stableLatency, requests).ConfigureAwait(false);
        var seen = new CanaryObservation(
            canaryErrors.Result.Values, stableErrors.Result.Values, canaryLatency.Result.Values, stableLatency.Result.Values,
            requests.Result.Value ?? 0,
            canaryErrors.Result.Unknown ?? stableErrors.Result.Unknown);
        return CanaryJudge.Judge(seen, settings, environment.Thresholds, end, step, weight);
    }
}
