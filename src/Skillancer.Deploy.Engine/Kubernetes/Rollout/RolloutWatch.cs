using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>
/// A service to wait for, and the image its rollout replaced when the caller knows it (a Start-SkRollout
/// result): the result carries it, and a rollback goes back to exactly that image.
/// </summary>
public sealed record RolloutWaitTarget(ServiceConfig Service, string? FromImage);

/// <summary>What Wait-SkRollout waits for: services of one environment, how long, and whether to roll back a failed one.</summary>
public sealed record RolloutWaitRequest(EnvironmentConfig Environment, IReadOnlyList<RolloutWaitTarget> Targets, TimeSpan Timeout)
{
    /// <summary>The policy's admission to roll a failed rollout back (-UndoOnFailure); null only waits.</summary>
    public Admission? Undo { get; init; }

    /// <summary>Checks every part of the request; throws the first problem, before anything is read or changed.</summary>
    public RolloutWaitRequest Validate()
    {
        TimeoutCheck.Require(Timeout, RolloutRequest.ShortestTimeout, "Timeout", "waiting for a rollout");
        Undo?.Require(Environment, StepKind.Recovery);
        return this;
    }
}

/// <summary>Wait-SkRollout's work: wait for each service's rollout and, if asked, roll back a failed one.</summary>
public static class RolloutWatch
{
    /// <summary>Waits for every target at once; per target, its rollout's result and then its rollback's, if there was one.</summary>
    public static async Task<IReadOnlyList<DeploymentChange>> WaitAsync(ClusterConnection cluster, RolloutWaitRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        request.Validate();
        var outcomes = await Task.WhenAll(request.Targets.Select(t =>
            WaitAsync(cluster, request.Environment, t.Service, t.FromImage, request.Timeout, request.Undo, host, cancellationToken))).ConfigureAwait(false);
        return [.. outcomes.SelectMany(o => o.Rollback is null ? [o.Rollout] : new DeploymentChange[] { o.Rollout, o.Rollback })];
    }

    // The rollout's result, and the rollback's when it failed and an undo was admitted.
    private static async Task<(RolloutResult Rollout, RollbackResult? Rollback)> WaitAsync(
        ClusterConnection cluster, EnvironmentConfig environment, ServiceConfig service, string? fromImage, TimeSpan timeout, Admission? undo, OperationHost host, CancellationToken cancellationToken)
    {
        var ns = environment.Kubernetes.Namespace;
        var deployment = await Deployments.ReadAsync(cluster, ns, service.Deployment, cancellationToken).ConfigureAwait(false);
        var image = Containers.Find(deployment, service).Image;
        var watched = RolloutResult.Started(environment, service, service.Deployment, fromImage ?? image, image, Revisions.Of(deployment.Metadata));
        var result = await RolloutTracker.TrackAsync(cluster, watched, DateTimeOffset.UtcNow, timeout, host, cancellationToken).ConfigureAwait(false);
        if (undo is null || result.Failure() is null)
        {
            return (result, null);
        }

        host.Warning($"The rollout of {service.Name} failed ({result.Message}); rolling it back to its previous revision.");
        var rollback = await DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, service, 0, Wait: true, timeout) { ToImage = fromImage != image ? fromImage : null }, undo, host, cancellationToken).ConfigureAwait(false);
        return (result, rollback);
    }
}
