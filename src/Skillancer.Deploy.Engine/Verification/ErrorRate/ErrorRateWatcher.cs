using System.Globalization;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>
/// The runbook's "Monitor Error Rates", decided: every interval it reads each target's error ratio from
/// Prometheus, judges it against the thresholds, reports the sample, and stops early when the failure,
/// inconclusive or stop-at limit is reached. No reading never counts as healthy.
/// </summary>
public static class ErrorRateWatcher
{
    /// <summary>Error id: a duration, interval or limit that cannot work.</summary>
    public const string InvalidWatch = "InvalidErrorRateWatch";

    /// <summary>Watches until the duration ends or a limit is reached; every sample goes to <paramref name="onSample"/> as it is taken.</summary>
    public static async Task<ErrorRateSummary> WatchAsync(
        ErrorRateWatchRequest request, Action<ErrorRateSample> onSample, OperationHost host, CancellationToken cancellationToken)
    {
        request.Validate();
        var environment = request.Environment;
        var server = ErrorRateQueries.Settings(environment).Url;
        var targets = (request.Services.Count == 0 ? [null] : request.Services.Cast<ServiceConfig?>())
            .Select(service => new Target(service, ErrorRateQueries.For(environment, service, request.Query)))
            .ToList();
        var thresholds = request.EffectiveThresholds;
        var activity = $"Watching the error rate of {environment.Name}";
        using var client = HttpClients.Create(TimeSpan.FromSeconds(5), request.SkipCertificateCheck);
        var started = DateTimeOffset.UtcNow;
        var tally = new Tally();
        string? ending = null;
        var verdict = WatchVerdict.Passed;
        var confirmed = false;

        for (var tick = 0; ending is null; tick++)
        {
            var due = started + (request.Interval * tick);
            var wait = due - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            var readings = await Task.WhenAll(targets.Select(t =>
                PrometheusQuery.ReadAsync(client, server, t.Query, request.Interval, host, cancellationToken))).ConfigureAwait(false);
            foreach (var (target, reading) in targets.Zip(readings))
            {
                var sample = Sample(environment, target, reading, thresholds);
                tally.Add(sample);
                Explain(target, sample, thresholds, host);
                onSample(sample);
                if (Decide(request, target, sample) is { } decided && ending is null)
                {
                    (verdict, ending) = decided;
                    confirmed = target.Failures >= request.FailureLimit;
                }
            }

            var elapsed = DateTimeOffset.UtcNow - started;
            var left = request.Duration - elapsed;
            host.Progress(new ProgressUpdate(activity, Status(targets, left),
                (int)Math.Clamp(elapsed / request.Duration * 100, 0, 100), (int)Math.Max(0, left.TotalSeconds)));
            if (ending is null && request.Interval * (tick + 1) > request.Duration)
            {
                (verdict, ending) = Finish(targets);
            }
        }

        host.Progress(new ProgressUpdate(activity, ending, 100, 0, Completed: true));
        return tally.Summary(environment.Name, request.Services.Select(s => s.Name).ToList(), verdict, confirmed, ending, DateTimeOffset.UtcNow - started);
    }

    private static ErrorRateSample Sample(EnvironmentConfig environment, Target target, PrometheusReading reading, ErrorRateThresholds thresholds)
    {
        var sample = new ErrorRateSample
        {
            Timestamp = reading.At,
            Environment = environment.Name,
            Service = target.Service?.Name,
            Rate = reading.Value,
            Level = ErrorRateLevel.Unknown,
            Reason = reading.Unknown,
            Query = target.Query,
        };
        if (reading.Value is not { } rate)
        {
            return sample;
        }

        var (level, threshold) = ErrorRateJudge.Judge(rate, thresholds);
        return sample with { Level = level, Threshold = threshold };
    }

    // Warn when a target's level changes to something a person should act on, quoting the runbook.
    private static void Explain(Target target, ErrorRateSample sample, ErrorRateThresholds thresholds, OperationHost host)
    {
        var previous = target.Last;
        target.Last = sample.Level;
        if (sample.Level == previous)
        {
            return;
        }

        var who = target.Service?.Name ?? sample.Environment;
        if (sample.Level == ErrorRateLevel.Unknown)
        {
            host.Warning($"{who}: no error rate: {sample.Reason}.");
        }
        else if (sample.Level > ErrorRateLevel.Ok)
        {
            host.Warning($"{who}: error rate {ErrorRateJudge.Percent(sample.Rate!.Value)}. Runbook: \"{ErrorRateJudge.RunbookLine(sample.Level, thresholds)}\".");
        }

        if (sample.Rate > 1 && target.Readings == 0)
        {
            host.Warning($"{who}: the query returned {sample.Rate}, more than 1; it is probably not a ratio of errors to requests (the runbook's rate(http_errors_total[1m]) is errors per second).");
        }
    }

    private static (WatchVerdict, string)? Decide(ErrorRateWatchRequest request, Target target, ErrorRateSample sample)
    {
        target.Failures = sample.Level == ErrorRateLevel.ImmediateRollback ? target.Failures + 1 : 0;
        target.Unknowns = sample.Level == ErrorRateLevel.Unknown ? target.Unknowns + 1 : 0;
        target.Readings += sample.Rate is null ? 0 : 1;
        var who = target.Service?.Name ?? sample.Environment;
        if (target.Failures >= request.FailureLimit)
        {
            return (WatchVerdict.Failed, string.Create(CultureInfo.InvariantCulture,
                $"{who}: error rate {ErrorRateJudge.Percent(sample.Rate!.Value)} above {ErrorRateJudge.Percent(sample.Threshold!.Value)} (ImmediateRollback) in {target.Failures} sample(s) in a row"));
        }

        if (request.StopAt is { } stopAt && sample.Level >= stopAt)
        {
            return (WatchVerdict.Failed, $"{who}: error rate {ErrorRateJudge.Percent(sample.Rate!.Value)} reached {sample.Level} (-StopAt {stopAt})");
        }

        if (target.Unknowns >= request.InconclusiveLimit)
        {
            return (WatchVerdict.Inconclusive, $"{who}: no error rate in {target.Unknowns} samples in a row: {sample.Reason}");
        }

        return null;
    }

    private static (WatchVerdict, string) Finish(IReadOnlyList<Target> targets) =>
        targets.FirstOrDefault(t => t.Readings == 0) is { } blind
            ? (WatchVerdict.Inconclusive, $"{blind.Service?.Name ?? "the environment"}: not one reading in the whole watch")
            : (WatchVerdict.Passed, "the error rate stayed below the rollback threshold for the whole watch");

    private static string Status(IReadOnlyList<Target> targets, TimeSpan left) =>
        string.Join(" · ", targets.Select(t => $"{t.Service?.Name ?? "all"} {t.LastText}")) +
        $" · {(left > TimeSpan.Zero ? left : TimeSpan.Zero):hh\\:mm\\:ss} left";

    // One watched target: its query and what the last samples said.
    private sealed class Target(ServiceConfig? service, string query)
    {
        public ServiceConfig? Service { get; } = service;

        public string Query { get; } = query;

        public ErrorRateLevel? Last { get; set; }

        public int Failures { get; set; }

        public int Unknowns { get; set; }

        public int Readings { get; set; }

        public string LastText => Last is null ? "…" : Last.Value.ToString();
    }

    // The running totals behind the summary.
    private sealed class Tally
    {
        private readonly List<double> _rates = [];
        private int _samples;
        private int _breaches;
        private int _unknown;
        private ErrorRateLevel _worst = ErrorRateLevel.Unknown;

        public void Add(ErrorRateSample sample)
        {
            _samples++;
            _unknown += sample.Level == ErrorRateLevel.Unknown ? 1 : 0;
            _breaches += sample.Level >= ErrorRateLevel.Investigate ? 1 : 0;
            _worst = sample.Level > _worst ? sample.Level : _worst;
            if (sample.Rate is { } rate)
            {
                _rates.Add(rate);
            }
        }

        public ErrorRateSummary Summary(string environment, IReadOnlyList<string> services, WatchVerdict verdict, bool confirmed, string reason, TimeSpan duration) => new()
        {
            Environment = environment,
            Services = services,
            Verdict = verdict,
            RollbackConfirmed = confirmed,
            Reason = reason,
            MaxRate = _rates.Count == 0 ? null : _rates.Max(),
            MeanRate = _rates.Count == 0 ? null : _rates.Average(),
            WorstLevel = _worst,
            Samples = _samples,
            Breaches = _breaches,
            Unknown = _unknown,
            Duration = duration,
        };
    }
}
