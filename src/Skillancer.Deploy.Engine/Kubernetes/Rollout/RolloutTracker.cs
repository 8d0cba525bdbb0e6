using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>Waits for one service's rollout, shows its progress bar with kubectl's messages, and completes its result.</summary>
public static class RolloutTracker
{
    /// <summary>Waits for <paramref name="started"/>'s deployment and returns the result with its final status, revision and duration.</summary>
    public static async Task<RolloutResult> TrackAsync(
        ClusterConnection cluster, RolloutResult started, DateTimeOffset since, TimeSpan timeout, OperationHost host, CancellationToken cancellationToken)
    {
        var activity = $"Rolling out {started.Service} ({started.Environment})";
        var wait = await RolloutWaiter.WaitAsync(
            cluster, started.Namespace, started.Deployment, timeout,
            progress => host.Progress(new ProgressUpdate(activity, progress.Message)), host, cancellationToken).ConfigureAwait(false);
        host.Progress(new ProgressUpdate(activity, wait.Progress?.Message ?? "", Completed: true));
        var revision = wait.Deployment is null ? started.Revision : Revisions.Of(wait.Deployment.Metadata);
        var duration = DateTimeOffset.UtcNow - since;
        return wait switch
        {
            { TimedOut: true } => started with
            {
                Status = RolloutStatus.TimedOut,
                Revision = revision,
                Duration = duration,
                Message = $"deployment \"{started.Deployment}\" did not finish rolling out within {timeout} ({wait.Progress?.Message ?? "no status yet"})",
            },
            { Progress.Failed: true } => started with { Status = RolloutStatus.Failed, Revision = revision, Duration = duration, Message = wait.Progress!.Message },
            _ => started with { Status = RolloutStatus.Complete, Revision = revision, Duration = duration, Message = wait.Progress!.Message },
        };
    }

    /// <summary>The error to report for a result that failed or timed out; null for any other.</summary>
    public static DeployException? FailureOf(RolloutResult result) => result.Status switch
    {
        RolloutStatus.Failed => new DeployException(KubernetesErrors.RolloutFailed, DeployErrorCategory.InvalidResult,
            $"The rollout of {result.Service} to {result.ToImage} in {result.Environment} failed: {result.Message}. " +
            $"Roll it back with Undo-SkDeployment -Environment {result.Environment} -Service {result.Service} (or Wait-SkRollout -UndoOnFailure), then look at the new pods.",
            result.Service),
        RolloutStatus.TimedOut => new DeployException(KubernetesErrors.RolloutTimeout, DeployErrorCategory.OperationTimeout,
            $"The rollout of {result.Service} to {result.ToImage} in {result.Environment} is not finished: {result.Message}. " +
            $"Wait longer with Wait-SkRollout -Environment {result.Environment} -Service {result.Service} -Timeout <duration>, or roll back with Undo-SkDeployment.",
            result.Service),
        _ => null,
    };
}
