using System.Globalization;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>
/// One progressive canary, inside its lock and journal record. It starts the canary at the first step's weight
/// (Start-SkCanary's entry point). Each step is watched for its duration and analysed every interval
/// (<see cref="CanaryAnalyzer"/>, <see cref="CanaryJudge"/>); a step whose last analysis passed moves the canary to
/// the next weight (Set-SkCanaryWeight's), and the step at 100% promotes it (Complete-SkCanary's). A step that could
/// not pass is watched again, up to <c>maxStepExtensions</c> times. <c>failureLimit</c> failed analyses, or a step
/// that still cannot pass, abort it: traffic back to stable first, then the canary scaled to 0 (Stop-SkCanary's),
/// and the Rollback notice. The record follows the canary (<see cref="RunCheckpoint"/>): its analysis, each step as it
/// starts and ends, and the failed analyses so far, so that a canary whose process died is carried on at its step
/// (<see cref="Resumption"/>), with what was left of that step's time.
/// </summary>
internal sealed class CanaryProgression(
    ClusterConnection cluster, CanaryRequest request, CanaryAnalysisSettings analysis, string tag, Admission admission, string recordId, OperationHost host)
{
    private const string Activity = "Invoke-SkCanary";
    private readonly OperationHost _host = host.Within(Activity);
    private readonly EnvironmentConfig _environment = request.Environment;
    private readonly ServiceConfig _service = request.Service;
    private readonly List<CanarySample> _samples = [];
    private readonly List<CanaryStepResult> _steps = [];
    private readonly List<string> _notes = [];
    private readonly RunCheckpoint _checkpoint = new(cluster, request.Environment, recordId, host) { Parameters = CanaryRequest.Parameters(analysis) };
    private RecordStep? _start;
    private int _failures;

    /// <summary>The canary whose process died, which this one carries on (-Resume); null for a new one.</summary>
    public RunResumption? Resumption { get; init; }

    /// <summary>
    /// True for a canary within a deployment run (Invoke-SkDeployment -Canary): the run's record and notices are the
    /// run's own, so this one writes no checkpoint and sends no Rollback notice (the run's rollback sends it).
    /// </summary>
    public bool WithinRun { get; init; }

    /// <summary>Runs the canary to its promotion or its abort; null when its start was declined at the prompt.</summary>
    public async Task<CanaryRun?> ExecuteAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var before = await CanaryManager.GetAsync(cluster, _environment, _service, cancellationToken).ConfigureAwait(false);
        using var client = HttpClients.Create(TimeSpan.FromSeconds(10), skipCertificateCheck: false);
        var server = ErrorRateQueries.Settings(_environment).Url;
        var scrape = await PrometheusQuery.ScrapeIntervalAsync(client, server, analysis.Interval, _host, cancellationToken).ConfigureAwait(false);
        var analyzer = new CanaryAnalyzer(_environment, _service, analysis, client, scrape, _host);
        _host.Verbose($"Analysing {_service.Name} every {DurationParser.Format(analysis.Interval)}, one sample per scrape ({DurationParser.Format(scrape)}).");

        var timeout = request.Timeout ?? _environment.Kubernetes.RolloutTimeout;
        var (resumeAt, interrupted) = Resume(before);
        switch (interrupted?.Name)
        {
            case var name when name == CanaryRun.AbortStep(_service.Name):
                return await AbortAsync(before, started, before.CanaryWeight, interrupted!.Detail, cancellationToken).ConfigureAwait(false);
            case var name when name == PromoteStep && before.CanaryImage is null && before.StableVersion == tag:
                return Run(before, started, CanaryOutcome.Promoted, 100, $"The promotion had completed before the process died: stable runs {before.StableImage}.");
        }

        if (resumeAt == 0)
        {
            // A canary that never ran (or is gone) starts over: nothing before it is carried.
            _steps.Clear();
            await SaveAsync(RunCheckpoint.Running(CanaryRun.StartName(_service.Name, tag), DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
            if (await CanaryManager.StartAsync(cluster, _environment, _service, tag, analysis.Steps[0], request.Replicas, timeout, admission, _host, cancellationToken).ConfigureAwait(false) is null)
            {
                return null;
            }
        }

        _start = CanaryRun.StartStep(_service.Name, tag, before.StableImage);
        for (var index = Math.Max(resumeAt - 1, 0); index < analysis.Steps.Count; index++)
        {
            var weight = analysis.Steps[index];
            if (weight == 100)
            {
                await SaveAsync(RunCheckpoint.Running(PromoteStep, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
                var promoted = await CanaryManager.CompleteAsync(cluster, _environment, _service, timeout, admission, _host, cancellationToken).ConfigureAwait(false);
                return promoted is null
                    ? Run(before, started, CanaryOutcome.Declined, analysis.Steps[index - 1], "The promotion was declined at the prompt: the canary runs as it stood.")
                    : Run(before, started, CanaryOutcome.Promoted, 100, $"Every step passed: stable runs {promoted.StableImage}, 100% of traffic, and the canary deployment is deleted.");
            }

            var resumed = index == resumeAt - 1;
            var stepStarted = resumed && interrupted?.Name == CanaryStepResult.StepName(index + 1, weight) ? interrupted.StartedAt ?? DateTimeOffset.UtcNow : DateTimeOffset.UtcNow;
            var extensions = resumed ? ProgressCount("extensions") : 0;
            _checkpoint.Progress = Progress(extensions);
            await SaveAsync(RunCheckpoint.Running(CanaryStepResult.StepName(index + 1, weight), stepStarted), cancellationToken).ConfigureAwait(false);
            var current = resumed ? before.CanaryWeight : analysis.Steps[Math.Max(index - 1, 0)];
            if (current != weight
                && await CanaryManager.SetWeightAsync(cluster, _environment, _service, weight, admission, _host, cancellationToken).ConfigureAwait(false) is null)
            {
                return Run(before, started, CanaryOutcome.Declined, current, $"The move to {weight}% was declined at the prompt: the canary runs as it stood.");
            }

            var step = await WatchStepAsync(analyzer, index + 1, weight, stepStarted, extensions, cancellationToken).ConfigureAwait(false);
            _steps.Add(step with { StartedAt = stepStarted });
            if (step.Verdict != CanaryVerdict.Pass)
            {
                return await AbortAsync(before, started, weight, step.Detail, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException("The steps end at 100 (CanaryAnalysisSettings.Validate).");
    }

    // A step: analysed every interval for its duration; extended while it cannot pass; ended early by the failure limit.
    // A resumed step keeps its start: its ticks go on from the next one due, and its time is what was left.
    private async Task<CanaryStepResult> WatchStepAsync(CanaryAnalyzer analyzer, int step, int weight, DateTimeOffset started, int extensions, CancellationToken cancellationToken)
    {
        var duration = analysis.StepDuration * (1 + extensions);
        var first = Math.Max(1, (int)Math.Ceiling((DateTimeOffset.UtcNow - started) / analysis.Interval));
        for (var tick = first; ; tick++)
        {
            var due = started + (analysis.Interval * tick);
            if (due - DateTimeOffset.UtcNow is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            var sample = await analyzer.AnalyseAsync(step, weight, started, due, cancellationToken).ConfigureAwait(false);
            _samples.Add(sample);
            _host.Verbose($"Step {step} ({weight}%): {sample.Verdict}: {sample.Reason}.");
            _failures += sample.Verdict == CanaryVerdict.Fail ? 1 : 0;
            Report(step, weight, started, duration, sample);
            _checkpoint.Progress = Progress(extensions);
            _checkpoint.Charts = Continued(CanaryCharts.Of(_service.Name, tag, _samples,
                [.. CanaryCharts.StepMarks(_steps), CanaryCharts.StepMark(step, weight, started)], _environment.Thresholds, analysis));
            await SaveAsync(RunCheckpoint.Running(CanaryStepResult.StepName(step, weight), started, $"last analysis: {sample.Verdict}: {sample.Reason}"), cancellationToken).ConfigureAwait(false);
            var checks = tick - first + 1;
            if (_failures >= analysis.FailureLimit)
            {
                return new CanaryStepResult(step, weight, CanaryVerdict.Fail, checks, extensions, DateTimeOffset.UtcNow - started,
                    $"{_failures} failed analyses (failureLimit {analysis.FailureLimit}); the last: {sample.Reason}");
            }

            if (analysis.Interval * (tick + 1) <= duration)
            {
                continue;
            }

            if (sample.Verdict == CanaryVerdict.Pass)
            {
                return new CanaryStepResult(step, weight, CanaryVerdict.Pass, checks, extensions, DateTimeOffset.UtcNow - started, sample.Reason);
            }

            if (extensions == analysis.MaxStepExtensions)
            {
                return new CanaryStepResult(step, weight, sample.Verdict, checks, extensions, DateTimeOffset.UtcNow - started,
                    $"the step could not pass after {extensions} extension(s) (maxStepExtensions {analysis.MaxStepExtensions}): {sample.Reason}");
            }

            extensions++;
            duration += analysis.StepDuration;
            _host.Warning($"{_service.Name} at {weight}%: the step cannot pass yet ({sample.Reason}); watching it for another {DurationParser.Format(analysis.StepDuration)} (extension {extensions} of {analysis.MaxStepExtensions}).");
        }
    }

    // Where a resumed canary carries on: the step (1-based) it was in, 0 when its canary never ran; the steps that
    // ended are carried, and the step it was in when its process died (or the abort, or the promotion) is returned.
    private (int Step, RecordStep? Interrupted) Resume(CanaryStatus now)
    {
        if (Resumption is not { } resumption)
        {
            return (0, null);
        }

        _failures = ProgressCount("failures");
        var ended = resumption.Record.Steps.Where(s => s.Name.StartsWith("canary step ", StringComparison.Ordinal) && s.Status != RecordStatus.Running.ToString()).ToList();
        _steps.AddRange(ended.Select((s, i) => CanaryStepResult.Carried(s, i + 1, analysis.Steps[i])));
        var passed = ended.Count(s => !s.Failed);
        var running = resumption.Ended.ContainsKey(CanaryRun.StartName(_service.Name, tag)) && now.CanaryVersion == tag && now.CanaryReplicas > 0;
        _notes.Add($"Resumed at step {passed + 1}: {passed} step(s) had passed and {_failures} analysis(es) had failed before the process died; the analyses before the resume are not in this run's samples, but its charts draw them.");
        return (running ? passed + 1 : 0, resumption.Interrupted);
    }

    private string PromoteStep => $"canary promote {_service.Name}";

    private int ProgressCount(string key) =>
        Resumption?.Record.Progress?.GetValueOrDefault(key) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : 0;

    private Dictionary<string, string> Progress(int extensions) => new(StringComparer.Ordinal)
    {
        ["failures"] = _failures.ToString(CultureInfo.InvariantCulture),
        ["extensions"] = extensions.ToString(CultureInfo.InvariantCulture),
    };

    // The start and the steps that ended, and the one in progress, into the canary's record.
    private Task SaveAsync(RecordStep running, CancellationToken cancellationToken) => WithinRun ? Task.CompletedTask :
        _checkpoint.SaveAsync([.. _start is null ? [] : new[] { _start }, .. _steps.Select(s => s.ToRecordStep())], running, cancellationToken);

    private void Report(int step, int weight, DateTimeOffset started, TimeSpan duration, CanarySample sample)
    {
        var steps = analysis.Steps.Count - 1;
        var within = Math.Clamp((DateTimeOffset.UtcNow - started) / duration, 0, 1);
        var left = started + duration - DateTimeOffset.UtcNow;
        _host.Progress(new ProgressUpdate(Activity,
            $"Step {step} of {steps} at {weight}% · last analysis {sample.Verdict}",
            (int)(((step - 1) + within) / steps * 100),
            (int)Math.Max(0, left.TotalSeconds)));
    }

    // Traffic back to stable, then the canary scaled down; the Rollback notice; the run that says why.
    private async Task<CanaryRun> AbortAsync(CanaryStatus before, DateTimeOffset started, int weight, string reason, CancellationToken cancellationToken)
    {
        _host.Warning($"Aborting the canary of {_service.Name} {tag} at {weight}%: {reason}.");
        await SaveAsync(RunCheckpoint.Running(CanaryRun.AbortStep(_service.Name), DateTimeOffset.UtcNow, reason), cancellationToken).ConfigureAwait(false);
        await CanaryManager.StopAsync(cluster, _environment, _service, admission, _host, cancellationToken).ConfigureAwait(false);
        if (!WithinRun && await CanaryRollbackNotice.SendAsync(cluster, request, tag, before.StableVersion, reason, _host, cancellationToken).ConfigureAwait(false) is { } unsent)
        {
            _notes.Add(unsent);
        }

        return Run(before, started, CanaryOutcome.Aborted, 0, $"Aborted at {weight}%: {reason}") with
        {
            Failure = CanaryErrors.Aborted(_environment.Name, _service.Name, tag, weight, reason, recordId),
        };
    }

    private CanaryRun Run(CanaryStatus before, DateTimeOffset started, CanaryOutcome outcome, int weight, string reason)
    {
        _host.Progress(new ProgressUpdate(Activity, outcome.ToString(), 100, Completed: true));
        var run = new CanaryRun
        {
            Id = recordId,
            Environment = _environment.Name,
            Service = _service.Name,
            Version = tag,
            StableImage = before.StableImage,
            Outcome = outcome,
            Weight = weight,
            Reason = reason,
            Started = started,
            Duration = DateTimeOffset.UtcNow - started,
            // Arrays, not collection expressions: PowerShell indexes an array ($run.Steps[0]), not the compiler's internal read-only list.
            Steps = _steps.ToArray(),
            Samples = _samples.ToArray(),
            Notes = _notes.ToArray(),
        };
        return run with { Charts = Continued(CanaryCharts.Of(run, _environment.Thresholds, analysis)).ToArray() };
    }

    // What this run measured, drawn on what the run before the resume had (its record's charts).
    private IReadOnlyList<RecordChart> Continued(IReadOnlyList<RecordChart> charts) =>
        Resumption is null ? charts : RecordChart.Continued(Resumption.Record.Charts, charts);
}
