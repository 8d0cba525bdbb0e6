using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>Wait-SkRollout's work for one service: wait for its rollout and, if asked, roll back a failed one.</summary>
public static class RolloutWatch
{
    /// <summary>
    /// The rollout's result, and the rollback's when it failed and <paramref name="undoOnFailure"/> is set.
    /// <paramref name="fromImage"/> is the image the rollout replaced, when the caller knows it (a
    /// Start-SkRollout result): the result carries it, and the rollback goes back to exactly that image.
    /// </summary>
    public static async Task<(RolloutResult Rollout, RollbackResult? Rollback)> WaitAsync(
        ClusterConnection cluster, EnvironmentConfig environment, ServiceConfig service, string? fromImage, TimeSpan timeout, bool undoOnFailure, OperationHost host, CancellationToken cancellationToken)
    {
        var ns = environment.Kubernetes.Namespace;
        var deployment = await Deployments.ReadAsync(cluster, ns, service.Deployment, cancellationToken).ConfigureAwait(false);
        var image = Containers.Find(deployment, service).Image;
        var watched = RolloutResult.Started(environment, service, service.Deployment, fromImage ?? image, image, Revisions.Of(deployment.Metadata));
        var result = await RolloutTracker.TrackAsync(cluster, watched, DateTimeOffset.UtcNow, timeout, host, cancellationToken).ConfigureAwait(false);
        if (!undoOnFailure || RolloutTracker.FailureOf(result) is null)
        {
            return (result, null);
        }

        host.Warning($"The rollout of {service.Name} failed ({result.Message}); rolling it back to its previous revision.");
        var rollback = await DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, service, 0, Wait: true, timeout) { ToImage = fromImage != image ? fromImage : null }, host, cancellationToken).ConfigureAwait(false);
        return (result, rollback);
    }
}
