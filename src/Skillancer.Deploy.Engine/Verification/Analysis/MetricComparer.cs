using System.Globalization;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Verification.Analysis;

/// <summary>
/// The runbook's post-deployment review ("verify all dashboards show normal metrics"): for each service, each metric's
/// per-scrape samples after the deployment against the same length of time before it, and against the same window a
/// week earlier, judged by <see cref="MetricJudge"/>. Read-only: it only asks Prometheus.
/// </summary>
public static class MetricComparer
{
    /// <summary>Error id: a metric Regressed (written after the results).</summary>
    public const string MetricsRegressed = "MetricsRegressed";

    /// <summary>Requests per second of a service, from the runbook's request counter.</summary>
    public const string RequestRateQuery = "sum(rate(http_requests_total{namespace=\"{namespace}\",service=\"{service}\"}[{window}]))";

    /// <summary>A latency quantile of a service over every track; <c>{quantile}</c> is 0.5, 0.95 or 0.99.</summary>
    public const string LatencyQuantileQuery = "histogram_quantile({quantile}, sum by (le) (rate(http_request_duration_seconds_bucket{namespace=\"{namespace}\",service=\"{service}\"}[{window}])))";

    /// <summary>CPU cores of a service's pods (cAdvisor).</summary>
    public const string CpuQuery = "sum(rate(container_cpu_usage_seconds_total{namespace=\"{namespace}\",pod=~\"{service}-.*\",container!=\"\",container!=\"POD\"}[{window}]))";

    /// <summary>Working-set memory of a service's pods in bytes (cAdvisor).</summary>
    public const string MemoryQuery = "sum(container_memory_working_set_bytes{namespace=\"{namespace}\",pod=~\"{service}-.*\",container!=\"\",container!=\"POD\"})";

    /// <summary>Compares every metric of every service of <paramref name="request"/>: two rows per metric (PreviousWindow, LastWeek), in the services' order.</summary>
    public static async Task<IReadOnlyList<MetricComparison>> CompareAsync(ComparisonRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        request.Validate();
        var environment = request.Environment;
        var prometheus = ErrorRateQueries.Settings(environment);
        using var client = HttpClients.Create(TimeSpan.FromSeconds(5), request.SkipCertificateCheck);
        var within = TimeSpan.FromSeconds(30);
        var scrape = await PrometheusQuery.ScrapeIntervalAsync(client, prometheus.Url, within, host, cancellationToken).ConfigureAwait(false);

        var now = DateTimeOffset.UtcNow;
        var afterEnd = request.Since + request.Baseline < now ? request.Since + request.Baseline : now;
        var length = afterEnd - request.Since;
        var needed = scrape * MetricJudge.MinimumSamples;
        if (length < needed)
        {
            throw new DeployException(ComparisonRequest.ComparisonWindowTooShort, DeployErrorCategory.InvalidOperation,
                string.Create(CultureInfo.InvariantCulture, $"Only {length.TotalSeconds:0.#} s have passed since -Since ({request.Since.UtcDateTime:u}); a comparison needs at least {MetricJudge.MinimumSamples} scrapes ({needed.TotalSeconds:0.#} s at Prometheus' {scrape.TotalSeconds:0.#} s interval). Wait until {(request.Since + needed).UtcDateTime:u} and run it again."),
                request);
        }

        // One sample per scrape; a rate over five scrapes, so that each sample has enough points.
        var rateWindow = scrape * 5;
        var windows = new Windows(request.Since, afterEnd, length, scrape);
        host.Verbose(string.Create(CultureInfo.InvariantCulture, $"Comparing [{windows.AfterStart.UtcDateTime:u}, {afterEnd.UtcDateTime:u}] with the {length} before it and a week earlier, a sample every {scrape.TotalSeconds:0.#} s (rates over {rateWindow.TotalSeconds:0.#} s)."));
        using var gate = new SemaphoreSlim(8);
        var done = 0;
        var total = request.Services.Count;
        var perService = request.Services.Select(async service =>
        {
            var rows = await Task.WhenAll(Metrics(environment, service, rateWindow).Select(m => CompareOneAsync(
                request, service, m.Metric, m.Query, windows, client, prometheus.Url, gate, host, cancellationToken))).ConfigureAwait(false);
            var finished = Interlocked.Increment(ref done);
            host.Progress(new ProgressUpdate("Comparing metrics", $"{finished} of {total} services", finished * 100 / total));
            return rows.SelectMany(r => r);
        }).ToList();
        var all = await Task.WhenAll(perService).ConfigureAwait(false);
        host.Progress(new ProgressUpdate("Comparing metrics", "done", 100, Completed: true));
        return [.. all.SelectMany(r => r)];
    }

    /// <summary>The metrics and their PromQL for a service: the error ratio from prometheus.serviceErrorRateQuery, the rest from the runbook's metric names.</summary>
    public static IReadOnlyList<(ComparedMetric Metric, string Query)> Metrics(EnvironmentConfig environment, ServiceConfig service, TimeSpan rateWindow)
    {
        string Fill(string template) => ErrorRateQueries.ForTrack(template, environment, service, string.Empty, rateWindow);
        return
        [
            (ComparedMetric.ErrorRatio, ErrorRateQueries.For(environment, service, null)),
            (ComparedMetric.RequestRate, Fill(RequestRateQuery)),
            (ComparedMetric.P50, Fill(LatencyQuantileQuery.Replace("{quantile}", "0.5", StringComparison.Ordinal))),
            (ComparedMetric.P95, Fill(LatencyQuantileQuery.Replace("{quantile}", "0.95", StringComparison.Ordinal))),
            (ComparedMetric.P99, Fill(LatencyQuantileQuery.Replace("{quantile}", "0.99", StringComparison.Ordinal))),
            (ComparedMetric.Cpu, Fill(CpuQuery)),
            (ComparedMetric.Memory, Fill(MemoryQuery)),
        ];
    }

    private sealed record Windows(DateTimeOffset Since, DateTimeOffset AfterEnd, TimeSpan Length, TimeSpan Scrape)
    {
        // The first point after the deployment is one scrape in, so that no point belongs to both windows.
        public DateTimeOffset AfterStart => Since + Scrape;

        public DateTimeOffset BeforeStart => Since - Length + Scrape;
    }

    private static async Task<IEnumerable<MetricComparison>> CompareOneAsync(
        ComparisonRequest request, ServiceConfig service, ComparedMetric metric, string query, Windows w,
        HttpClient client, Uri server, SemaphoreSlim gate, OperationHost host, CancellationToken cancellationToken)
    {
        async Task<PrometheusSeries> Range(DateTimeOffset start, DateTimeOffset end)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await PrometheusQuery.ReadRangeAsync(client, server, query, start, end, w.Scrape, TimeSpan.FromSeconds(30), host, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        var week = ComparisonRequest.WeekEarlier;
        var after = Range(w.AfterStart, w.AfterEnd);
        var before = Range(w.BeforeStart, w.Since);
        var lastWeek = Range(w.AfterStart - week, w.AfterEnd - week);
        await Task.WhenAll(after, before, lastWeek).ConfigureAwait(false);

        string? unavailable = null;
        if (metric is ComparedMetric.Cpu or ComparedMetric.Memory && (after.Result.Points.Count == 0 || before.Result.Points.Count == 0))
        {
            var name = metric == ComparedMetric.Cpu ? "container_cpu_usage_seconds_total" : "container_memory_working_set_bytes";
            var exists = await PrometheusQuery.ReadAsync(client, server, $"count({name}{{namespace=\"{request.Environment.Kubernetes.Namespace}\"}})", TimeSpan.FromSeconds(30), host, cancellationToken).ConfigureAwait(false);
            if (exists.Value is null)
            {
                unavailable = $"not available: no cAdvisor series ({name} in namespace {request.Environment.Kubernetes.Namespace})";
            }
        }

        MetricComparison Row(ComparisonBaseline against, PrometheusSeries baseline, DateTimeOffset start, DateTimeOffset end, string? noBaseline)
        {
            var judged = MetricJudge.Judge(metric, baseline.Values, after.Result.Values, request.Environment.Thresholds, noBaseline, after.Result.Unknown);
            if (unavailable is not null)
            {
                judged = judged with { Verdict = MetricVerdict.NoData, Reason = unavailable, PValue = null, Change = null };
            }

            return new MetricComparison
            {
                Environment = request.Environment.Name,
                Service = service.Name,
                Metric = metric,
                Against = against,
                Before = judged.Before,
                After = judged.After,
                Change = judged.Change,
                PValue = judged.PValue,
                Verdict = judged.Verdict,
                Reason = judged.Reason,
                Statistic = MetricJudge.Statistic(metric),
                Unit = MetricJudge.Unit(metric),
                BeforeSamples = baseline.Points.Count,
                AfterSamples = after.Result.Points.Count,
                BeforePoints = baseline.Points,
                AfterPoints = after.Result.Points,
                BeforeStart = start,
                BeforeEnd = end,
                AfterStart = w.AfterStart,
                AfterEnd = w.AfterEnd,
                Query = query,
            };
        }

        var previous = Row(ComparisonBaseline.PreviousWindow, before.Result, w.BeforeStart, w.Since, before.Result.Unknown);
        var weekRow = Row(ComparisonBaseline.LastWeek, lastWeek.Result, w.AfterStart - week, w.AfterEnd - week, lastWeek.Result.Unknown);
        if (weekRow.Verdict == MetricVerdict.NoData && unavailable is null && lastWeek.Result.Points.Count < MetricJudge.MinimumSamples)
        {
            weekRow = weekRow with { Reason = "no data a week earlier: " + weekRow.Reason };
        }

        return [previous, weekRow];
    }

    /// <summary>
    /// The review in a line, against the window before the deployment: what Regressed, else how many metrics were Normal
    /// (and how many had no data): the Complete notice's measured "all dashboards normal".
    /// </summary>
    public static string Summary(IReadOnlyList<MetricComparison> rows)
    {
        var previous = rows.Where(r => r.Against == ComparisonBaseline.PreviousWindow).ToList();
        var regressed = previous.Where(r => r.Verdict == MetricVerdict.Regressed).ToList();
        var measured = previous.Count(r => r.Verdict != MetricVerdict.NoData);
        var blind = previous.Count - measured;
        return regressed.Count > 0
            ? $"Regressed against the time before the rollout: {string.Join("; ", regressed.Select(r => $"{r.Service} {r.Metric} ({r.Reason})"))}"
            : measured == 0
                ? "not measured: no metric had data in both windows"
                : $"all normal against the time before the rollout ({measured} metrics measured{(blind > 0 ? $", {blind} without data" : "")})";
    }
}
