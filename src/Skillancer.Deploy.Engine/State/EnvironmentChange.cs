using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Approvals;
using Skillancer.Deploy.Engine.State.Identity;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.State.Lock;

namespace Skillancer.Deploy.Engine.State;

/// <summary>
/// The frame around every action that changes an environment's cluster, so that each one is done the same way:
/// the cluster says who is acting; in an environment that requires approval, the version's approvals are checked
/// (else ApprovalRequired, and nothing happens); the environment's lock is taken (a dead holder's record is marked abandoned);
/// the journal's record is opened before the first change (else JournalUnavailable, and nothing happens); the
/// action runs, stopped if the lock is lost; the record is closed with what the action returned or the error that
/// stopped it; the lock is released. The cmdlets and (later) the orchestrator both go through here.
/// </summary>
public static class EnvironmentChange
{
    private static readonly TimeSpan ClosingTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Runs <paramref name="operation"/> under the environment's lock and journal, once its version is approved where
    /// that is required. Throws ApprovalRequired, DeploymentLocked, JournalUnavailable or DeploymentLockLost, and
    /// whatever the operation throws (after recording it). A null <paramref name="cluster"/> is an environment that keeps no
    /// state (no kubernetes section in skdeploy.yml): the operation runs without lock or record, and a change that needs
    /// approval is refused, since approvals live in the cluster.
    /// </summary>
    public static async Task<T> RunAsync<T>(
        ClusterConnection? cluster, ChangeRequest request, OperationHost host, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var (environment, admission, subject) = request.Validate();
        admission.Covers(environment.Name, admission.Kind);
        if (cluster is null)
        {
            if (admission.NeedsApproval)
            {
                throw ApprovalErrors.NoCluster(admission.Step, environment);
            }

            host.Verbose($"{environment.Name} keeps no deployment state (skdeploy.yml gives it no kubernetes section): {admission.Step} takes no lock and writes no journal record.");
            return await operation(cancellationToken).ConfigureAwait(false);
        }

        var identity = await IdentityReader.WhoAmIAsync(cluster, cancellationToken).ConfigureAwait(false);
        if (subject is { Version: null, FindVersion: { } find })
        {
            subject = subject with { Version = await find(cluster, cancellationToken).ConfigureAwait(false) };
            request = request with { Subject = subject };
        }

        await ApprovalGate.VerifyAsync(cluster, admission, environment, subject.Version, identity, host, cancellationToken).ConfigureAwait(false);
        var id = request.Resumes?.Id ?? request.RecordId ?? DeploymentRecord.NewId(DateTimeOffset.UtcNow);
        var action = subject.Version is null ? admission.Step : $"{admission.Step} {subject.Version}";
        var claim = new LockRequest(environment, identity, action) { Wait = request.LockWait, Version = subject.Version, RecordId = id };
        await using var held = await EnvironmentLock.AcquireAsync(cluster, claim, host, cancellationToken).ConfigureAwait(false);
        if (request.Resumes is { } resumed)
        {
            var carried = await ResumeAsync(cluster, request, resumed, identity, held.TookOverFrom, host, cancellationToken).ConfigureAwait(false);
            return await RecordAsync(cluster, request, carried, host, operation, held, cancellationToken, opened: true).ConfigureAwait(false);
        }

        var record = NewRecord(request, identity, id);
        if (held.TookOverFrom is { } previous)
        {
            var theirs = await AbandonAsync(cluster, request, previous, $"{identity.UserName} took its expired lock over (record {id})", host, cancellationToken).ConfigureAwait(false);
            var fate = (previous.RecordId, theirs?.Status) switch
            {
                (null, _) => "",
                (var r, null) => $"; its record {r} was never written (it stopped before its first change)",
                (var r, RecordStatus.Abandoned) => $"; its record {r} is marked Abandoned",
                (var r, var status) => $"; its record {r} had already ended {status}",
            };
            record = record with { Notes = [$"Took the lock over from {previous}, which stopped renewing it at {LockHolder.Clock(previous.RenewedAt)}{fate}."] };
        }

        return await RecordAsync(cluster, request, record, host, operation, held, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="operation"/> journaled but without the lock: breaking the lock itself
    /// (Unlock-SkEnvironment). Throws JournalUnavailable, and whatever the operation throws (after recording it).
    /// </summary>
    public static async Task<T> RunUnlockedAsync<T>(
        ClusterConnection cluster, ChangeRequest request, OperationHost host, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        request.Admission.Covers(request.Environment.Name, request.Admission.Kind);
        var identity = await IdentityReader.WhoAmIAsync(cluster, cancellationToken).ConfigureAwait(false);
        var record = NewRecord(request, identity, DeploymentRecord.NewId(DateTimeOffset.UtcNow));
        return await RecordAsync(cluster, request, record, host, operation, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks the record of a holder that is gone (its lease expired, or its lock was broken) Abandoned, when it still
    /// says Running; a failure is a warning. Returns the record as it now stands (Abandoned, or as it had ended), or
    /// null when there is none: the holder wrote none, or it could not be read.
    /// </summary>
    public static async Task<DeploymentRecord?> AbandonAsync(
        ClusterConnection cluster, ChangeRequest request, LockHolder previous, string why, OperationHost host, CancellationToken cancellationToken)
    {
        if (previous.RecordId is not { } id)
        {
            return null;
        }

        try
        {
            var stale = await DeploymentJournal.ReadAsync(cluster, request.Environment, id, cancellationToken).ConfigureAwait(false);
            if (stale is not { Status: RecordStatus.Running })
            {
                return stale;
            }

            var abandoned = stale with
            {
                Status = RecordStatus.Abandoned,
                EndedAt = previous.ExpiresAt,
                Notes = [.. stale.Notes, $"Abandoned: its holder stopped renewing the lock at {LockHolder.Clock(previous.RenewedAt)}; {why}."],
            };
            await DeploymentJournal.UpdateAsync(cluster, request.Environment, abandoned, cancellationToken).ConfigureAwait(false);
            return abandoned;
        }
        catch (DeployException e)
        {
            host.Warning($"The journal record {id} of the previous holder could not be marked abandoned ({e.Message}); it still says Running.");
            return null;
        }
    }

    // The record carried on by a resumed action, once its lock is held: still Running (its holder did not end it meanwhile), with a note of who resumed it.
    private static async Task<DeploymentRecord> ResumeAsync(
        ClusterConnection cluster, ChangeRequest request, DeploymentRecord resumed, DeployerIdentity identity, LockHolder? previous, OperationHost host, CancellationToken cancellationToken)
    {
        var current = await DeploymentJournal.ReadAsync(cluster, request.Environment, resumed.Id, cancellationToken).ConfigureAwait(false);
        if (current is not { Status: RecordStatus.Running })
        {
            throw StateErrors.NotResumable(request.Environment, resumed.Id, current?.Status);
        }

        if (previous is { } other && other.RecordId != resumed.Id)
        {
            await AbandonAsync(cluster, request, other, $"{identity.UserName} took its expired lock over to resume record {resumed.Id}", host, cancellationToken).ConfigureAwait(false);
        }

        var from = previous is null ? "the lock was free" : $"took the lock over from {previous}, which stopped renewing it at {LockHolder.Clock(previous.RenewedAt)}";
        return current with { Notes = [.. current.Notes, $"Resumed by {identity.UserName} at {LockHolder.Clock(DateTimeOffset.UtcNow)}: {from}."] };
    }

    private static async Task<T> RecordAsync<T>(
        ClusterConnection cluster, ChangeRequest request, DeploymentRecord record, OperationHost host,
        Func<CancellationToken, Task<T>> operation, EnvironmentLock? held, CancellationToken cancellationToken, bool opened = false)
    {
        var environment = request.Environment;
        if (opened)
        {
            await DeploymentJournal.UpdateAsync(cluster, environment, record, cancellationToken).ConfigureAwait(false);
            host.Verbose($"Journal: record {record.Id} resumed in {environment.Name} ({environment.Kubernetes.Namespace}).");
        }
        else
        {
            await DeploymentJournal.OpenAsync(cluster, environment, record, cancellationToken).ConfigureAwait(false);
            host.Verbose($"Journal: record {record.Id} opened in {environment.Name} ({environment.Kubernetes.Namespace}).");
        }

        await PruneAsync(cluster, request, record, host, cancellationToken).ConfigureAwait(false);
        var lost = held?.Lost ?? CancellationToken.None;
        using var guarded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost);
        try
        {
            var result = await operation(guarded.Token).ConfigureAwait(false);
            await CloseAsync(cluster, request, record, RecordOutcome.Of(result), host).ConfigureAwait(false);
            return result;
        }
        catch (OperationCanceledException) when (held is not null && lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var error = held.LostError();
            await CloseAsync(cluster, request, record, RecordOutcome.Of(error) with { Status = RecordStatus.Abandoned }, host).ConfigureAwait(false);
            throw error;
        }
        catch (Exception e) when (e is DeployException or OperationCanceledException)
        {
            await CloseAsync(cluster, request, record, RecordOutcome.Of(e), host).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task PruneAsync(ClusterConnection cluster, ChangeRequest request, DeploymentRecord record, OperationHost host, CancellationToken cancellationToken)
    {
        try
        {
            var pruned = await DeploymentJournal.PruneAsync(cluster, request.Environment, record.Id, cancellationToken).ConfigureAwait(false);
            if (pruned > 0)
            {
                host.Verbose($"Journal: pruned the {pruned} oldest record(s) of {request.Environment.Name} (journal.keep: {request.Environment.State.JournalKeep}).");
            }
        }
        catch (DeployException e)
        {
            host.Warning($"The oldest journal records of {request.Environment.Name} could not be pruned ({e.Message}); the journal grows until the next action prunes it.");
        }
    }

    // The closing write: tried again on failure, and, when it still fails, a warning (never hidden behind the action's own success).
    private static async Task CloseAsync(ClusterConnection cluster, ChangeRequest request, DeploymentRecord record, RecordOutcome outcome, OperationHost host)
    {
        var closed = record with
        {
            Status = outcome.Status,
            Version = record.Version ?? outcome.Version,
            EndedAt = DateTimeOffset.UtcNow,
            Steps = outcome.Steps,
            Charts = outcome.Charts,
            Error = outcome.Error,
            ErrorId = outcome.ErrorId,
            Notes = [.. record.Notes, .. outcome.Notes],
        };
        using var timeout = new CancellationTokenSource(ClosingTimeout);
        try
        {
            await DeploymentJournal.UpdateAsync(cluster, request.Environment, closed, timeout.Token).ConfigureAwait(false);
            host.Verbose($"Journal: record {record.Id} closed: {closed.Status}.");
        }
        catch (Exception e) when (e is DeployException or OperationCanceledException)
        {
            host.Warning(
                $"The journal record {record.Id} of {request.Environment.Name} could not be closed ({e.Message}); it still says Running, " +
                $"though the action ended {closed.Status}. Get-SkDeploymentLog -Environment {request.Environment.Name} -Id {record.Id} shows it.");
        }
    }

    private static DeploymentRecord NewRecord(ChangeRequest request, DeployerIdentity identity, string id) => new()
    {
        Id = id,
        Kind = request.Subject.Kind,
        Environment = request.Environment.Name,
        Version = request.Subject.Version,
        Services = request.Subject.Services,
        Action = request.Admission.Step,
        Recovery = request.Admission.Kind == StepKind.Recovery,
        EmergencyReason = request.Admission.EmergencyReason,
        ApprovedBy = [.. request.Admission.Approvals.Select(a => $"{a.Approver.UserName} (approval {a.Id}, given {DeploymentApproval.Clock(a.ApprovedAt)})")],
        Who = identity,
        StartedAt = DateTimeOffset.UtcNow,
    };
}
