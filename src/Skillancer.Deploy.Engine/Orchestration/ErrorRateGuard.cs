using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.State.Lock;
using Skillancer.Deploy.Engine.Verification;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Orchestration;

/// <summary>
/// What the error-rate guard watches, and what it may roll back: the rollouts handed in, or (with
/// <see cref="Force"/> or after asking) every service of the environment.
/// </summary>
public sealed record ErrorRateGuardRequest(ErrorRateWatchRequest Watch)
{
    /// <summary>The policy's admission to roll back when the watch confirms ImmediateRollback (-AutoRollback); null only watches.</summary>
    public Admission? Rollback { get; init; }

    /// <summary>The rollouts to revert; empty to roll back every service of the environment.</summary>
    public IReadOnlyList<RolloutResult> Rollouts { get; init; } = [];

    /// <summary>With no rollouts, roll every service back without asking first.</summary>
    public bool Force { get; init; }

    /// <summary>A kubeconfig to use instead of the environment's.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>A kubeconfig context to use instead of the environment's.</summary>
    public string? Context { get; init; }

    /// <summary>
    /// How long the rollback waits for another holder of the environment's lock (-LockTimeout); it waits at least
    /// one lease duration, so a holder that just died is taken over rather than the rollback refused.
    /// </summary>
    public TimeSpan LockWait { get; init; }

    /// <summary>Refuses a negative -LockTimeout (InvalidLockTimeout) before the watch starts.</summary>
    public ErrorRateGuardRequest Validate()
    {
        LockRequest.RequireWait(LockWait);
        return this;
    }

    /// <summary>
    /// Refuses (MixedEnvironments) input that names more than one environment, before anything is read: one watch, and
    /// one rollback, belong to one environment.
    /// </summary>
    public static void RequireOneEnvironment(IReadOnlyCollection<string> environments)
    {
        if (environments.Count > 1)
        {
            throw new DeployException(VerificationErrors.MixedEnvironments, DeployErrorCategory.InvalidArgument,
                $"The input names several environments ({string.Join(", ", environments)}). Watch one environment at a time.", environments);
        }
    }
}

/// <summary>How the guard ended: the watch's summary, the rollbacks it made, their failures, and the gate's error.</summary>
public sealed record ErrorRateGuardResult(ErrorRateSummary Summary, IReadOnlyList<RollbackResult> Rollbacks, IReadOnlyList<DeployException> RollbackFailures)
{
    /// <summary>ErrorRateWatchFailed or ErrorRateWatchInconclusive; null when the watch passed.</summary>
    public DeployException? Failure => VerificationErrors.WatchFailure(Summary);

    /// <summary>Every error, in the order a caller writes them after the results: the rollbacks' failures, then the watch's.</summary>
    public IReadOnlyList<DeployException> Errors => Failure is { } failure ? [.. RollbackFailures, failure] : RollbackFailures;

    /// <summary>
    /// What the caller writes, in order, and the errors after it. Quiet: the boolean (true when the watch passed) and
    /// only the rollbacks' failures, for the gate's own error is the boolean. Otherwise: the rollbacks, the summary, and
    /// every error.
    /// </summary>
    public (IReadOnlyList<object> Output, IReadOnlyList<DeployException> Errors) Report(bool quiet) =>
        quiet ? ([Failure is null], RollbackFailures) : ([.. Rollbacks, Summary], Errors);
}

/// <summary>
/// The runbook's "Monitor Error Rates" with its consequence: watch the error rate, and when ImmediateRollback is
/// confirmed and auto-rollback is on, roll back exactly the rollouts handed in (or every service).
/// Everything that can be checked is checked before the watch starts: the services of the rollouts and the
/// cluster connection.
/// </summary>
public static class ErrorRateGuard
{
    /// <summary>Watches, then rolls back on a confirmed breach; every sample goes to <paramref name="onSample"/> as it is taken.</summary>
    public static async Task<ErrorRateGuardResult> GuardAsync(
        ErrorRateGuardRequest request, Action<ErrorRateSample> onSample, OperationHost host, CancellationToken cancellationToken)
    {
        var environment = request.Validate().Watch.Environment;
        request.Rollback?.Require(environment, StepKind.Recovery);
        var reverting = request.Rollouts.Count > 0 ? DeploymentRollback.Reverting(environment, request.Rollouts) : null;
        using var cluster = request.Rollback is not null ? ClusterConnection.Open(environment.Kubernetes, request.Kubeconfig, request.Context, host) : null;

        var summary = await ErrorRateWatcher.WatchAsync(request.Watch, onSample, host, cancellationToken).ConfigureAwait(false);
        if (summary.Verdict != WatchVerdict.Passed)
        {
            host.Warning($"Error-rate watch {summary.Verdict}: {summary.Reason}.");
        }

        if (cluster is null || request.Rollback is not { } admission || !summary.RollbackConfirmed)
        {
            return new ErrorRateGuardResult(summary, [], []);
        }

        var requests = reverting ?? (request.Force || host.ShouldProcess(
                $"every service of {environment.Name} ({string.Join(", ", environment.Services.Select(s => s.Name))})",
                "Roll back to the previous revision: no rollouts were handed in (-Force rolls back without this question)") == Approval.Approved
            ? DeploymentRollback.Everything(environment)
            : []);
        if (requests.Count == 0)
        {
            return new ErrorRateGuardResult(summary, [], []);
        }

        host.Warning($"Immediate rollback: rolling back {string.Join(", ", requests.Select(r => r.Service.Name))} in {environment.Name}.");
        // Under the environment's lock and recorded in its journal, as every cluster change; -WhatIf takes neither.
        Func<CancellationToken, Task<IReadOnlyList<RollbackResult>>> undo = token => DeploymentRollback.UndoAllAsync(cluster, requests, admission, host, token);
        var change = new ChangeRequest(environment, admission, new RecordSubject(RecordKind.Rollback, null, [.. requests.Select(r => r.Service.Name)]))
        {
            LockWait = request.LockWait > environment.State.LeaseDuration ? request.LockWait : environment.State.LeaseDuration,
        };
        var rollbacks = host.DescribeOnly
            ? await undo(cancellationToken).ConfigureAwait(false)
            : await EnvironmentChange.RunAsync(cluster, change, host, undo, cancellationToken).ConfigureAwait(false);
        var rolledBack = rollbacks.Where(r => r.Status != RollbackStatus.Skipped).Select(r => r.Service).ToList();
        return new ErrorRateGuardResult(summary with { RolledBack = rolledBack }, rollbacks, rollbacks.Select(r => r.Failure()).OfType<DeployException>().ToList());
    }
}
