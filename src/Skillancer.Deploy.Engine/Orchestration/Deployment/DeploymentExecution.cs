using System.Diagnostics;
using Skillancer.Deploy.Engine.Cdn;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Notifications;
using Skillancer.Deploy.Engine.Orchestration.Canary;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Preflight;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Identity;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.Verification;
using Skillancer.Deploy.Engine.Verification.Analysis;
using Skillancer.Deploy.Engine.Verification.ErrorRate;
using Skillancer.Deploy.Engine.Verification.Smoke;

namespace Skillancer.Deploy.Engine.Orchestration.Deployment;

/// <summary>
/// One run of the runbook's Deployment Process, inside its lock and journal record: each step through its engine entry
/// point, in the runbook's order, until one fails. A failure from the rollout on (rollout, health, smoke, the watch, the
/// CDN) puts every service the run changed back on exactly its previous image, in reverse tier order, checks their
/// health, clears the CDN when the frontend was touched and sends the Rollback notice. Migrations are never reverted:
/// the failure names them, with the commands that would. The record follows the run step by step
/// (<see cref="RunCheckpoint"/>), so that a run whose process died can be carried on (<see cref="Resumption"/>): the
/// steps it ended are not done again, a rollout it had started is waited for rather than started again, and a watch
/// it was in watches only what was left.
/// </summary>
internal sealed partial class DeploymentExecution(
    ClusterConnection cluster, DeploymentRequest request, Admission admission, string tag, TimeSpan watch, string recordId, OperationHost host)
{
    private const string Activity = "Invoke-SkDeployment";

    // The steps' own bars (rollouts, the watch) are children of the run's.
    private readonly OperationHost _host = host.Within(Activity);
    private static readonly HealthCheckOptions Health = new(TimeSpan.FromSeconds(10), 5, TimeSpan.FromSeconds(2), false);
    private readonly List<DeploymentStep> _steps = [];
    private readonly List<RecordChart> _charts = [];
    private readonly EnvironmentConfig _environment = request.Environment;
    private readonly RunCheckpoint _checkpoint = new(cluster, request.Environment, recordId, host) { Parameters = request.Parameters() };
    private List<RolloutResult> _rollouts = [];
    private IReadOnlyList<AppliedMigration> _migrations = [];
    private IReadOnlyList<HealthResult> _healthy = [];
    private (string Step, string Reason)? _failure;
    private DateTimeOffset? _rolledOutAt;

    /// <summary>The step an emergency adds after "Notice: Deployment Started": on-call and the engineering lead told.</summary>
    public const string EmergencyNotice = "Notice: Emergency";

    /// <summary>The step -Canary adds after "Rollout": the services with a canary section, each through the progressive canary.</summary>
    public const string CanaryStep = "Canary";

    /// <summary>The steps of the procedure, in order, as the run's record and the plan name them.</summary>
    public static IReadOnlyList<string> StepNames { get; } =
        ["Preflight", "Notice: Deployment Started", "Migrations", "Rollout", "Health", "Smoke", "Error-rate watch", "CDN", "Notice: Deployment Complete"];

    /// <summary>The run whose process died, which this one carries on (-Resume); null for a new run.</summary>
    public RunResumption? Resumption { get; init; }

    /// <summary>Runs the steps, and the rollback when one fails from the rollout on; the run as it ended.</summary>
    public async Task<DeploymentRun> ExecuteAsync(CancellationToken cancellationToken)
    {
        var started = Resumption?.Record.StartedAt ?? DateTimeOffset.UtcNow;
        var identity = await IdentityReader.WhoAmIAsync(cluster, cancellationToken).ConfigureAwait(false);
        if (Resumption?.Record.PreviousImages is { } previous)
        {
            _checkpoint.PreviousImages = previous;
            if (Resumption.Ended.ContainsKey(StepNames[3]))
            {
                _rollouts = RolledOutBeforeResume(previous);
            }
        }

        var prepared = await StepAsync(StepNames[0], PreflightAsync, cancellationToken).ConfigureAwait(false)
            && await StepAsync(StepNames[1], token => NotifyAsync(NoticeKind.Started, null, token), cancellationToken).ConfigureAwait(false)
            && (admission.EmergencyReason is null || await StepAsync(EmergencyNotice, EmergencyAsync, cancellationToken).ConfigureAwait(false))
            && await StepAsync(StepNames[2], MigrateAsync, cancellationToken).ConfigureAwait(false);
        var deployed = prepared
            && await StepAsync(StepNames[3], RolloutAsync, cancellationToken).ConfigureAwait(false)
            && (!request.Canary || await StepAsync(CanaryStep, CanaryAsync, cancellationToken).ConfigureAwait(false))
            && await StepAsync(StepNames[4], HealthAsync, cancellationToken).ConfigureAwait(false)
            && await StepAsync(StepNames[5], SmokeAsync, cancellationToken).ConfigureAwait(false)
            && await StepAsync(StepNames[6], WatchAsync, cancellationToken).ConfigureAwait(false)
            && await StepAsync(StepNames[7], CdnAsync, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> rolledBack = [];
        if (deployed)
        {
            // The deployment stands; a Complete notice that cannot be sent is a warning, not a reason to roll back.
            await StepAsync(StepNames[8], CompleteAsync, cancellationToken).ConfigureAwait(false);
        }
        else if (prepared && !request.NoRollback)
        {
            rolledBack = await RollBackAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (prepared)
        {
            _steps.Add(new DeploymentStep("Rollback", DeploymentStepStatus.Skipped, TimeSpan.Zero,
                $"-NoRollback: {string.Join(", ", RolloutWithUndo.Changed(_rollouts).Select(r => $"{r.Service} stays on {r.Version}"))} for investigation."));
        }

        _host.Progress(new ProgressUpdate(Activity, "Done", 100, Completed: true));
        var run = new DeploymentRun
        {
            Id = recordId,
            Environment = _environment.Name,
            Version = tag,
            By = identity.UserName,
            ApprovedBy = admission.Approvals.Select(a => a.Approver.UserName).ToArray(),   // an array: PowerShell indexes it
            Started = started,
            Duration = DateTimeOffset.UtcNow - started,
            RolledBack = rolledBack,
            Steps = _steps,
            Charts = Charts(),
            EmergencyReason = admission.EmergencyReason,
            Notes = RecordNotes(),
            Failure = _failure is { } failure ? DeploymentErrors.Failed(_environment.Name, tag, failure.Step, failure.Reason, recordId, Consequence(prepared, rolledBack)) : null,
        };
        // The run's status is the record's: RolledBack only when every rollback step held.
        return run with { Status = run.ToRecordOutcome().Status };
    }

    // The steps so far, and the one starting now, into the run's record.
    private Task CheckpointAsync(string? running, CancellationToken cancellationToken)
    {
        _checkpoint.Charts = Charts();
        return _checkpoint.SaveAsync(_steps.Select(s => s.ToRecordStep()), running, cancellationToken);
    }

    // What the run measured, drawn on what the run before the resume had measured (its record's charts).
    private RecordChart[] Charts() => [.. Resumption is null ? _charts : RecordChart.Continued(Resumption.Record.Charts, _charts)];

    // One step of the procedure: reported as progress, timed and recorded; false when it failed, which ends the procedure.
    private async Task<bool> StepAsync(string name, Func<CancellationToken, Task<Outcome>> step, CancellationToken cancellationToken)
    {
        var index = Math.Max(StepNames.ToList().IndexOf(name), 1);
        _host.Progress(new ProgressUpdate(Activity, $"{name} ({index + 1} of {StepNames.Count})", index * 100 / StepNames.Count));
        DeploymentStep done;
        if (Resumption?.Ended.GetValueOrDefault(name) is { } ended && DeploymentStep.FromRecord(ended) is { } carried)
        {
            done = carried with { Detail = $"Before the resume: {carried.Detail}" };
            _steps.Add(done);
        }
        else
        {
            await CheckpointAsync(name, cancellationToken).ConfigureAwait(false);
            done = await TimedAsync(name, step, cancellationToken).ConfigureAwait(false);
            _steps.Add(done);
            await CheckpointAsync(null, cancellationToken).ConfigureAwait(false);
        }

        _host.Verbose($"{done.Name}: {done.Status} ({(int)done.Duration.TotalMilliseconds} ms). {done.Detail}");
        if (done.Status == DeploymentStepStatus.Failed)
        {
            _failure ??= (done.Name, done.Detail);
            return false;
        }

        return true;
    }

    // What a step saw or did: how it ended, and the detail the record keeps.
    private readonly record struct Outcome(DeploymentStepStatus Status, string Detail);

    // 2. The pre-deployment checklist, all but "stakeholders notified": the run sends that notice itself, next.
    private async Task<Outcome> PreflightAsync(CancellationToken cancellationToken)
    {
        var checklist = new PreflightRequest(request.Config, _environment, tag, request.CurrentDirectory)
        {
            Items = [.. Enum.GetValues<PreflightItem>().Where(i => i != PreflightItem.StakeholdersNotified)],
            Emergency = admission.EmergencyReason is not null,
            Reason = admission.EmergencyReason,
            RunRecordId = recordId,
        };
        var gate = await PreflightChecklist.RunAsync(cluster, checklist, _host, cancellationToken).ConfigureAwait(false);
        var failed = gate.Results.Where(r => r.Status == PreflightStatus.Failed).ToList();
        var noted = gate.Results.Where(r => r.Status is PreflightStatus.Warning or PreflightStatus.NotConfigured).Select(r => $"{r.Item} {r.Status}").ToList();
        var summary = $"{gate.Results.Count(r => r.Ok)} of {gate.Results.Count} items passed{(noted.Count == 0 ? "" : $" ({string.Join(", ", noted)})")}";
        if (failed.Count == 0)
        {
            return new Outcome(noted.Count == 0 ? DeploymentStepStatus.Succeeded : DeploymentStepStatus.Warning, summary + ".");
        }

        var reasons = string.Join("; ", failed.Select(f => $"{f.Item}: {f.Detail}"));
        return !_environment.RequireApproval && request.AcceptPreflightWarnings
            ? new Outcome(DeploymentStepStatus.Warning, $"{summary}; going on past {reasons} (-AcceptPreflightWarnings).")
            : new Outcome(DeploymentStepStatus.Failed,
                $"{failed.Count} checklist item(s) failed: {reasons}" +
                (_environment.RequireApproval ? "" : " (-AcceptPreflightWarnings goes on past them where no approval is required)"));
    }

    // 4, 11 and the rollback's notice: built as New-SkDeploymentNotice builds it, sent and journaled as Send-SkNotification does.
    private async Task<Outcome> NotifyAsync(NoticeKind kind, string? reason, CancellationToken cancellationToken, string? metrics = null)
    {
        if (_environment.Notifications is null)
        {
            return new Outcome(DeploymentStepStatus.Skipped, $"{_environment.Name} has no notifications section: nobody was told.");
        }

        var notice = await NoticeBuilder.BuildAsync(new NoticeRequest(kind)
        {
            Version = tag,
            Environment = _environment.Name,
            Services = [.. _environment.Services.Select(s => s.Name)],
            ServiceCount = _environment.Services.Count,
            Health = [.. _healthy.Select(h => (h.Service, h.Healthy))],
            Reason = reason,
            Metrics = metrics,
            Service = kind == NoticeKind.Rollback ? string.Join(", ", RolloutWithUndo.Changed(_rollouts).Select(r => r.Service)) : null,
            FromVersion = kind == NoticeKind.Rollback ? tag : null,
            ToVersion = kind == NoticeKind.Rollback ? PreviousVersion() : null,
            Folder = request.CurrentDirectory,
        }, _host, cancellationToken).ConfigureAwait(false);
        var delivery = NotificationDelivery.For(notice, _environment.Name, request.Config.Environment, null);
        var sent = await NotificationDelivery.SendAllAsync([delivery], Activity, _host, cancellationToken, (_environment, cluster)).ConfigureAwait(false);
        return sent.Count == 1
            ? new Outcome(DeploymentStepStatus.Succeeded, $"\"{notice.Title}\" sent (HTTP {sent[0].StatusCode}).")
            : new Outcome(kind == NoticeKind.Complete ? DeploymentStepStatus.Warning : DeploymentStepStatus.Failed, $"\"{notice.Title}\" was not sent (declined).");
    }

    // 11, with the runbook's "verify all dashboards show normal metrics" measured: every service's metrics since the
    // rollout against the same time before it (Compare-SkDeploymentMetric's engine), in the notice and the record.
    private async Task<Outcome> CompleteAsync(CancellationToken cancellationToken)
    {
        string? metrics = null;
        if (_environment.Prometheus is not null && _rolledOutAt is { } since)
        {
            try
            {
                var rows = await MetricComparer.CompareAsync(new ComparisonRequest(_environment, _environment.Services, since, DateTimeOffset.UtcNow - since), _host, cancellationToken).ConfigureAwait(false);
                metrics = MetricComparer.Summary(rows);
                _charts.AddRange(ComparisonCharts.Of(rows));
            }
            catch (DeployException e)
            {
                metrics = $"not measured: {e.Message}";
            }
        }

        var sent = await NotifyAsync(NoticeKind.Complete, null, cancellationToken, metrics).ConfigureAwait(false);
        return metrics is null ? sent : sent with { Detail = $"{sent.Detail} Metrics: {metrics}." };
    }

    // An emergency: the runbook's "notify the on-call engineer and the engineering lead", to notifications.emergency.
    private async Task<Outcome> EmergencyAsync(CancellationToken cancellationToken)
    {
        if (_environment.Notifications is null)
        {
            return new Outcome(DeploymentStepStatus.Warning, $"{_environment.Name} has no notifications section: on-call and the engineering lead were not told of the emergency.");
        }

        var notice = await NoticeBuilder.BuildAsync(
            new NoticeRequest(NoticeKind.Emergency) { Version = tag, Environment = _environment.Name, Reason = admission.EmergencyReason }, _host, cancellationToken).ConfigureAwait(false);
        var delivery = NotificationDelivery.ForEmergency(notice, _environment);
        var sent = await NotificationDelivery.SendAllAsync([delivery], Activity, _host, cancellationToken, (_environment, cluster)).ConfigureAwait(false);
        var where = _environment.Notifications.EmergencyWebhookUrlEnv is { } emergency ? $"${emergency} (on-call and the engineering lead)" : $"${_environment.Notifications.WebhookUrlEnv} (no emergency destination configured)";
        return sent.Count == 1
            ? new Outcome(DeploymentStepStatus.Succeeded, $"\"{notice.Title}\" sent to {where} (HTTP {sent[0].StatusCode}).")
            : new Outcome(DeploymentStepStatus.Failed, $"\"{notice.Title}\" was not sent (declined): an emergency deployment tells on-call first.");
    }

    // The record's notes: the post-mortem an incident calls for (the runbook: "hold a post-mortem if the deployment is incident-related").
    private List<string> RecordNotes()
    {
        var notes = new List<string>();
        if (Resumption is { } resumed)
        {
            var carried = _steps.Count(s => s.Detail.StartsWith("Before the resume: ", StringComparison.Ordinal));
            notes.Add($"Resumed: {carried} step(s) the earlier process had ended were not done again" +
                (resumed.Interrupted is { } interrupted ? $"; it had stopped in {interrupted.Name}." : "."));
        }

        if (admission.EmergencyReason is { } reason && IncidentPattern().Match(reason) is { Success: true } incident)
        {
            notes.Add($"Post-mortem required: the emergency names an incident ({incident.Value}).");
        }

        if (request.NoRollback && _failure is not null)
        {
            notes.Add("-NoRollback: the failed deployment was left in place for investigation.");
        }

        return notes;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bINC-?\d+\b|\bincident\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex IncidentPattern();

    // 5. Migrations: the safety check (Error-level risks block where safety is required, unless -AcknowledgeRisk), then each in its own transaction.
    private async Task<Outcome> MigrateAsync(CancellationToken cancellationToken)
    {
        if (_environment.Database is null)
        {
            return new Outcome(DeploymentStepStatus.Skipped, $"{_environment.Name} has no database section.");
        }

        _migrations = await MigrationDeployer.DeployAsync(
            new DeployRequest(MigrationSource.Of(_environment, request.CurrentDirectory), AcknowledgeRisk: request.AcknowledgeRisk), admission, _host, cancellationToken).ConfigureAwait(false);
        return new Outcome(DeploymentStepStatus.Succeeded,
            _migrations.Count == 0 ? "None pending." : $"Applied {_migrations.Count}: {string.Join(", ", _migrations.Select(m => m.Name))}.");
    }

    // 6. Every service, tier by tier in the runbook's order (backend in parallel, then the gateway, then the frontend), each waited for.
    private async Task<Outcome> RolloutAsync(CancellationToken cancellationToken)
    {
        // A rollout the dead run had started is waited for, not started again; then the rest, as a new run would.
        var previous = Resumption?.Record.PreviousImages;
        var waited = previous is null ? [] : await WaitForStartedAsync(previous, cancellationToken).ConfigureAwait(false);
        var rest = _environment.Services.Where(s => waited.All(w => w.Service != s.Name) && !request.CanaryServices.Contains(s)).ToList();
        IReadOnlyList<RolloutResult> started = [];
        if (rest.Count > 0 && waited.All(w => w.Failure() is null))
        {
            var rollout = new RolloutRequest(_environment, rest, tag, Wait: true, _environment.Kubernetes.RolloutTimeout)
            {
                BeforeChange = (images, token) =>
                {
                    // What the services ran before this run, the dead run's word first: a resumed run rolls back to those.
                    _checkpoint.PreviousImages = previous is null ? images : images.ToDictionary(i => i.Key, i => previous.GetValueOrDefault(i.Key) ?? i.Value, StringComparer.Ordinal);
                    return CheckpointAsync(StepNames[3], token);
                },
            }.Validate();
            started = await RolloutStarter.StartAsync(cluster, rollout, admission, _host, cancellationToken).ConfigureAwait(false);
        }

        _rollouts = [.. waited, .. started.Select(r => previous?.GetValueOrDefault(r.Service) is { } before && r.Status == RolloutStatus.Skipped && before != r.ToImage
            ? r with { Status = RolloutStatus.Complete, FromImage = before, Message = $"rolled out by the run before the resume" } : r)];
        var failed = _rollouts.Select(r => r.Failure()).OfType<DeployException>().ToList();
        var changed = RolloutWithUndo.Changed(_rollouts);
        _rolledOutAt = DateTimeOffset.UtcNow;
        return failed.Count > 0
            ? new Outcome(DeploymentStepStatus.Failed, string.Join(" ", failed.Select(f => f.Message)))
            : new Outcome(DeploymentStepStatus.Succeeded,
                $"{changed.Count} of {_rollouts.Count} services now run {tag}{(changed.Count < _rollouts.Count ? $"; {_rollouts.Count - changed.Count} already did" : "")}.");
    }

    // -Canary: each service with a canary section through the progressive canary, within this run's lock and record. A
    // promoted canary counts as rolled out (a later failure rolls it back with the rest); an aborted one fails the step.
    private async Task<Outcome> CanaryAsync(CancellationToken cancellationToken)
    {
        var done = new List<string>();
        foreach (var service in request.CanaryServices)
        {
            var canary = request.CanaryFor(service, tag);
            var (_, analysis) = canary.Validate();
            var run = await new CanaryProgression(cluster, canary, analysis, tag, admission, recordId, _host) { WithinRun = true }
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            _charts.AddRange(run?.Charts ?? []);
            if (run is not { Outcome: CanaryOutcome.Promoted })
            {
                var why = run is null ? $"{service.Name}: the canary's start was declined at the prompt." : $"{service.Name}: {run.Reason}";
                return new Outcome(DeploymentStepStatus.Failed, string.Join(" ", [.. done, why]));
            }

            var image = ImageTags.Compose(_environment.Registry, service.Image, tag);
            if (run.StableImage != image)
            {
                _rollouts.Add(RolloutResult.Started(_environment, service, service.Deployment, run.StableImage, image) with { Status = RolloutStatus.Complete, Message = "promoted canary" });
            }

            done.Add($"{service.Name}: promoted after {run.Steps.Count} step(s) ({string.Join(", ", run.Steps.Select(s => $"{s.Weight}%"))}) and {run.Samples.Count} analyses.");
        }

        _rolledOutAt = DateTimeOffset.UtcNow;
        return new Outcome(DeploymentStepStatus.Succeeded, string.Join(" ", done));
    }

    // 7. Health, with retries: a service that is still starting gets a few more seconds.
    private async Task<Outcome> HealthAsync(CancellationToken cancellationToken)
    {
        var gate = await HealthChecker.VerifyAsync(HealthTargetsOf(_environment.Services), Health, _host, cancellationToken).ConfigureAwait(false);
        _healthy = gate.Results;
        return gate.Failure is { } failure
            ? new Outcome(DeploymentStepStatus.Failed, failure.Message)
            : new Outcome(DeploymentStepStatus.Succeeded, $"{gate.Results.Count} of {gate.Results.Count} services healthy.");
    }

    // 8. The configured smoke checks and suites (pnpm test:smoke:production, as smoke: - command: names them).
    private async Task<Outcome> SmokeAsync(CancellationToken cancellationToken)
    {
        if (_environment.Smoke.Count == 0 && _environment.SmokeSuites.Count == 0)
        {
            return new Outcome(DeploymentStepStatus.Skipped, $"{_environment.Name} has no smoke checks (smoke:).");
        }

        var smoke = new SmokeRequest(_environment, _environment.Smoke) { Suites = _environment.SmokeSuites, Pwsh = request.Pwsh, WorkingDirectory = request.CurrentDirectory };
        var gate = await SmokeRunner.VerifyAsync([smoke], _host, cancellationToken).ConfigureAwait(false);
        return gate.Failure is { } failure
            ? new Outcome(DeploymentStepStatus.Failed, failure.Message)
            : new Outcome(DeploymentStepStatus.Succeeded, $"{gate.Results.Count} of {gate.Results.Count} smoke checks passed.");
    }

    // 9. The error-rate watch for the monitoring period (longer for an emergency).
    private async Task<Outcome> WatchAsync(CancellationToken cancellationToken)
    {
        if (_environment.Prometheus is null)
        {
            _host.Warning($"{_environment.Name} has no prometheus section: the deployment's error rate is not watched.");
            return new Outcome(DeploymentStepStatus.Warning, $"{_environment.Name} has no prometheus section: the error rate was not watched.");
        }

        var length = WatchLeft();
        var watching = ErrorRateWatchRequest.For(_environment, _environment.Services, length, null);
        var samples = new List<ErrorRateSample>();
        var summary = await ErrorRateWatcher.WatchAsync(watching, samples.Add, _host, cancellationToken).ConfigureAwait(false);
        if (ErrorRateCharts.Watch($"{_environment.Name} {tag}: error ratio during the watch", samples, watching.EffectiveThresholds) is { } chart)
        {
            _charts.Add(chart);
        }

        var seen = $"{summary.Samples} samples over {DurationParser.Format(summary.Duration < TimeSpan.FromSeconds(1) ? summary.Duration : TimeSpan.FromSeconds(Math.Round(summary.Duration.TotalSeconds)))}{(length < watch ? $" (resumed: the last {DurationParser.Format(length)} of {DurationParser.Format(watch)})" : "")}, worst level {summary.WorstLevel}";
        return summary.Verdict == WatchVerdict.Passed
            ? new Outcome(DeploymentStepStatus.Succeeded, $"{seen}.")
            : new Outcome(DeploymentStepStatus.Failed, $"the watch {summary.Verdict}: {summary.Reason} ({seen})");
    }

    // A watch the dead run was in watches only what was left of it, and never less than one sample's interval.
    private TimeSpan WatchLeft()
    {
        if (Resumption?.Interrupted is not { Name: var name, StartedAt: { } since } || name != StepNames[6])
        {
            return watch;
        }

        var left = watch - (DateTimeOffset.UtcNow - since);
        var shortest = _environment.Monitor.Interval;
        return left < shortest ? shortest : TimeSpan.FromSeconds(Math.Ceiling(left.TotalSeconds));
    }

    // 10. The CDN, when the frontend changed.
    private async Task<Outcome> CdnAsync(CancellationToken cancellationToken)
    {
        if (!FrontendChanged)
        {
            return new Outcome(DeploymentStepStatus.Skipped, "The frontend did not change.");
        }

        return await ClearCdnAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome> ClearCdnAsync(CancellationToken cancellationToken)
    {
        if (_environment.Cdn is null)
        {
            return new Outcome(DeploymentStepStatus.Skipped, $"{_environment.Name} has no cdn section.");
        }

        var invalidation = await CdnCacheClearer.ClearAsync(new CacheClearRequest(_environment, ["/*"]) { Version = tag }, admission, _host, cancellationToken).ConfigureAwait(false);
        return new Outcome(DeploymentStepStatus.Succeeded,
            invalidation is null ? "Nothing was invalidated." : $"Invalidation {invalidation.Id} of /* on {invalidation.DistributionId} ({invalidation.Status}).");
    }

    // The rollback after a failure from the rollout on: exactly the previous images, reverse tier order, then health, the CDN and the notice.
    private async Task<IReadOnlyList<string>> RollBackAsync(CancellationToken cancellationToken)
    {
        var changed = RolloutWithUndo.Changed(_rollouts);
        if (changed.Count == 0)
        {
            return [];
        }

        var reason = _failure is { } failure ? $"{failure.Step} failed: {failure.Reason}" : "a step failed";
        _host.Warning($"The deployment of {tag} to {_environment.Name} failed at {_failure?.Step}; rolling back {string.Join(", ", changed.Select(c => c.Service))} to the images they ran before.");
        var clock = Stopwatch.StartNew();
        var (rollbacks, errors) = await RolloutWithUndo.UndoAsync(cluster, _environment, changed, _environment.Kubernetes.RolloutTimeout, admission, _host, cancellationToken).ConfigureAwait(false);
        var problems = rollbacks.Select(r => r.Failure()).OfType<DeployException>().Concat(errors).ToList();
        _steps.Add(new DeploymentStep("Rollback", problems.Count == 0 ? DeploymentStepStatus.Succeeded : DeploymentStepStatus.Failed, clock.Elapsed,
            problems.Count == 0
                ? string.Join(", ", changed.Select(c => $"{c.Service} back on {ImageTags.Tag(c.FromImage)}")) + "."
                : string.Join(" ", problems.Select(p => p.Message))) { Undo = true });
        var back = changed.Select(c => _environment.Service(c.Service)).ToList();
        clock.Restart();
        var health = await HealthChecker.VerifyAsync(HealthTargetsOf(back), Health, _host, cancellationToken).ConfigureAwait(false);
        _healthy = health.Results;
        _steps.Add(new DeploymentStep("Health after rollback", health.Failure is null ? DeploymentStepStatus.Succeeded : DeploymentStepStatus.Failed, clock.Elapsed,
            health.Failure?.Message ?? $"{health.Results.Count} of {health.Results.Count} rolled-back services healthy.") { Undo = true });
        if (changed.Any(c => _environment.Service(c.Service).Tier == ServiceTier.Frontend))
        {
            await UndoStepAsync("CDN after rollback", ClearCdnAsync, cancellationToken).ConfigureAwait(false);
        }

        await UndoStepAsync("Notice: Rollback", token => NotifyAsync(NoticeKind.Rollback, reason, token), cancellationToken).ConfigureAwait(false);
        return rollbacks.Where(r => r.Failure() is null).Select(r => r.Service).ToArray();   // an array: PowerShell indexes it
    }

    private async Task UndoStepAsync(string name, Func<CancellationToken, Task<Outcome>> step, CancellationToken cancellationToken) =>
        _steps.Add(await TimedAsync(name, step, cancellationToken).ConfigureAwait(false) with { Undo = true });

    // A step run and timed; a DeployException fails it with its message (the run decides what follows).
    private static async Task<DeploymentStep> TimedAsync(string name, Func<CancellationToken, Task<Outcome>> step, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var (status, detail) = await step(cancellationToken).ConfigureAwait(false);
            return new DeploymentStep(name, status, clock.Elapsed, detail);
        }
        catch (DeployException e)
        {
            return new DeploymentStep(name, DeploymentStepStatus.Failed, clock.Elapsed, e.Message);
        }
    }

    // -Resume: the services the dead run had set to the new image, each waited for (tracked from now) rather than set again.
    private async Task<IReadOnlyList<RolloutResult>> WaitForStartedAsync(IReadOnlyDictionary<string, string> previous, CancellationToken cancellationToken)
    {
        var ns = _environment.Kubernetes.Namespace;
        var tracked = await Task.WhenAll(_environment.Services.Select(async service =>
        {
            var image = ImageTags.Compose(_environment.Registry, service.Image, tag);
            if (previous.GetValueOrDefault(service.Name) is not { } before || before == image)
            {
                return null;
            }

            var deployment = await Deployments.ReadAsync(cluster, ns, service.Deployment, cancellationToken).ConfigureAwait(false);
            if (Containers.Find(deployment, service).Image != image)
            {
                return null;
            }

            _host.Verbose($"{service.Name} was set to {image} by the run before the resume; waiting for its rollout instead of starting it again.");
            var started = RolloutResult.Started(_environment, service, service.Deployment, before, image, Revisions.Of(deployment.Metadata));
            return await RolloutTracker.TrackAsync(cluster, started, DateTimeOffset.UtcNow, _environment.Kubernetes.RolloutTimeout, _host, cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);
        return [.. tracked.OfType<RolloutResult>()];
    }

    // -Resume after the rollout had ended: what it changed, from the images the record kept, for a rollback of a later failure.
    private List<RolloutResult> RolledOutBeforeResume(IReadOnlyDictionary<string, string> previous) =>
        [.. _environment.Services
            .Select(s => (Service: s, Before: previous.GetValueOrDefault(s.Name), Image: ImageTags.Compose(_environment.Registry, s.Image, tag)))
            .Where(s => s.Before is not null && s.Before != s.Image)
            .Select(s => RolloutResult.Started(_environment, s.Service, s.Service.Deployment, s.Before!, s.Image) with
            {
                Status = RolloutStatus.Complete,
                Message = "rolled out by the run before the resume",
            })];

    private bool FrontendChanged => RolloutWithUndo.Changed(_rollouts).Any(r => _environment.Service(r.Service).Tier == ServiceTier.Frontend);

    private string? PreviousVersion() => RolloutWithUndo.Changed(_rollouts).Select(r => ImageTags.Tag(r.FromImage)).Distinct().SingleOrDefault();

    private static List<HealthTarget> HealthTargetsOf(IEnumerable<ServiceConfig> services) => [.. services.Where(s => s.Health is not null).Select(HealthTargets.For)];

    // What the run leaves behind, for the error: what was rolled back (or left), and the migrations that stay.
    private string Consequence(bool prepared, IReadOnlyList<string> rolledBack)
    {
        var services = !prepared ? "No service was changed."
            : request.NoRollback ? "-NoRollback left the services as the failure found them, for investigation."
            : rolledBack.Count > 0 ? $"{string.Join(", ", rolledBack)} {(rolledBack.Count == 1 ? "was" : "were")} rolled back to the images they ran before."
            : "No service had changed, so nothing was rolled back.";
        if (_migrations.Count == 0)
        {
            return services;
        }

        var last = _migrations[0].Name;
        return $"{services} The migrations this run applied stay, as the runbook makes database rollback a separate decision: " +
            $"{string.Join(", ", _migrations.Select(m => m.Name))}. To revert one: Undo-SkMigration -Environment {_environment.Name} -Name {last} " +
            $"(its rollback script), or mark it with Set-SkMigrationState -Environment {_environment.Name} -Name {last} -RolledBack.";
    }
}
