using k8s.Models;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>
/// Where a rollout stands, by <c>kubectl rollout status</c>'s exact rules: the spec must be observed,
/// every replica updated, no old replica left, every updated replica available; a Progressing
/// condition with reason ProgressDeadlineExceeded is a failure. Messages are kubectl's.
/// </summary>
public sealed record RolloutProgress(bool Done, bool Failed, string Message)
{
    /// <summary>The reason the deployment controller gives a rollout that ran out of time.</summary>
    public const string DeadlineExceeded = "ProgressDeadlineExceeded";

    /// <summary>Judges a deployment as kubectl's DeploymentStatusViewer does.</summary>
    public static RolloutProgress Of(V1Deployment deployment)
    {
        var name = deployment.Metadata.Name;
        var status = deployment.Status ?? new V1DeploymentStatus();
        if (deployment.Metadata.Generation > (status.ObservedGeneration ?? 0))
        {
            return new RolloutProgress(false, false, "Waiting for deployment spec update to be observed...");
        }

        var progressing = status.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        if (progressing?.Reason == DeadlineExceeded)
        {
            return new RolloutProgress(false, true, $"deployment \"{name}\" exceeded its progress deadline");
        }

        var desired = deployment.Spec.Replicas ?? 1;
        var updated = status.UpdatedReplicas ?? 0;
        var replicas = status.Replicas ?? 0;
        var available = status.AvailableReplicas ?? 0;
        if (updated < desired)
        {
            return new RolloutProgress(false, false, $"Waiting for deployment \"{name}\" rollout to finish: {updated} out of {desired} new replicas have been updated...");
        }

        if (replicas > updated)
        {
            return new RolloutProgress(false, false, $"Waiting for deployment \"{name}\" rollout to finish: {replicas - updated} old replicas are pending termination...");
        }

        if (available < updated)
        {
            return new RolloutProgress(false, false, $"Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...");
        }

        return new RolloutProgress(true, false, $"deployment \"{name}\" successfully rolled out");
    }
}
