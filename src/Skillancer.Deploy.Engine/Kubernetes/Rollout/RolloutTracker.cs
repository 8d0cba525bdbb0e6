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
}
