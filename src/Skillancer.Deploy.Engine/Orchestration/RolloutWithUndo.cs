using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration;

/// <summary>
/// What a rollout call did: a result per service, in rollout order; the rollbacks -UndoOnFailure made,
/// in the order they were made; and any rollback that could not even be sent. Each result carries its
/// own failure, so <see cref="Failures"/> is all a caller needs to report.
/// </summary>
public sealed record RolloutOutcome(IReadOnlyList<RolloutResult> Rollouts, IReadOnlyList<RollbackResult> Rollbacks, IReadOnlyList<DeployException> UndoErrors)
    : IRecordedResult
{
    /// <summary>A step per rollout, then per rollback; a rollback that could not be sent makes it Failed.</summary>
    public RecordOutcome ToRecordOutcome()
    {
        var outcome = RecordOutcome.OfSteps([.. Rollouts.Select(r => r.ToRecordStep()), .. Rollbacks.Select(r => r.ToRecordStep())]);
        return UndoErrors.Count == 0
            ? outcome
            : outcome with { Status = RecordStatus.Failed, Notes = [.. UndoErrors.Select(e => $"A rollback could not be sent: {e.Message}")] };
    }

    /// <summary>Every error to report, rollouts' first, then rollbacks', then the rollbacks that could not be sent.</summary>
    public IReadOnlyList<DeployException> Failures =>
        Rollouts.Select(r => r.Failure()).Concat(Rollbacks.Select(r => r.Failure())).OfType<DeployException>().Concat(UndoErrors).ToList();
}

/// <summary>
/// Start-SkRollout's entry point: the rollout (RolloutStarter) and, with -UndoOnFailure, the undo of
/// the whole call when a tier fails. Every service this call changed (completed, failed or timed out;
/// not skipped, not started) goes back to exactly the image it ran before, tier by tier in reverse
/// order, each tier waited for before the next. A rollback that fails does not stop the others.
/// </summary>
public static class RolloutWithUndo
{
    /// <summary>Validates <paramref name="request"/>, rolls it out and, when asked and needed, undoes it.</summary>
    public static async Task<RolloutOutcome> StartAsync(ClusterConnection cluster, RolloutRequest request, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        var rollouts = await RolloutStarter.StartAsync(cluster, request, admission, host, cancellationToken).ConfigureAwait(false);
        if (!request.UndoOnFailure || rollouts.All(r => r.Failure() is null))
        {
            return new RolloutOutcome(rollouts, [], []);
        }

        var environment = request.Environment;
        var changed = Changed(rollouts);
        host.Warning($"The rollout of {request.Tag} to {environment.Name} failed; -UndoOnFailure puts {(changed.Count == 0 ? "nothing" : string.Join(", ", changed.Select(c => c.Service)))} back on the images they ran before.");
        var (rollbacks, errors) = await UndoAsync(cluster, environment, changed, request.Timeout, admission, host, cancellationToken).ConfigureAwait(false);
        return new RolloutOutcome(rollouts, rollbacks, errors);
    }

    /// <summary>The rollouts that changed their service (completed, failed or timed out; not skipped, not started), which an undo puts back.</summary>
    public static IReadOnlyList<RolloutResult> Changed(IReadOnlyList<RolloutResult> rollouts) =>
        [.. rollouts.Where(r => r.Status is RolloutStatus.Complete or RolloutStatus.Failed or RolloutStatus.TimedOut && r.FromImage != r.ToImage)];

    /// <summary>
    /// Puts every service of <paramref name="changed"/> back on exactly the image it ran before (its FromImage), tier
    /// by tier in reverse order, each tier waited for before the next. A rollback that fails does not stop the others:
    /// its error is returned with the results.
    /// </summary>
    public static async Task<(IReadOnlyList<RollbackResult> Rollbacks, IReadOnlyList<DeployException> Errors)> UndoAsync(
        ClusterConnection cluster, Configuration.EnvironmentConfig environment, IReadOnlyList<RolloutResult> changed, TimeSpan timeout, Admission admission,
        OperationHost host, CancellationToken cancellationToken)
    {
        var rollbacks = new List<RollbackResult>();
        var errors = new List<DeployException>();
        foreach (var tier in changed.Select(r => (Rollout: r, Service: environment.Service(r.Service))).GroupBy(c => c.Service.Tier).OrderByDescending(t => t.Key))
        {
            var undone = await Task.WhenAll(tier.Select(async c =>
            {
                var back = new RollbackRequest(environment, c.Service, 0, Wait: true, timeout) { ToImage = c.Rollout.FromImage };
                try
                {
                    return (Result: await DeploymentRollback.UndoAsync(cluster, back, admission, host, cancellationToken).ConfigureAwait(false), Error: (DeployException?)null);
                }
                catch (DeployException e)
                {
                    return (Result: null, Error: e);
                }
            })).ConfigureAwait(false);
            rollbacks.AddRange(undone.Select(u => u.Result).OfType<RollbackResult>());
            errors.AddRange(undone.Select(u => u.Error).OfType<DeployException>());
        }

        return (rollbacks, errors);
    }
}
