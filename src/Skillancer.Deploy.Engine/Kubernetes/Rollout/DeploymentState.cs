using System.Globalization;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>A service's deployment as the cluster reports it: what runs, at which revision, and how its rollout stands.</summary>
public sealed record DeploymentState
{
    /// <summary>The environment, e.g. <c>staging</c>.</summary>
    public required string Environment { get; init; }

    /// <summary>The service, e.g. <c>api-gateway</c>.</summary>
    public required string Service { get; init; }

    /// <summary>The namespace the deployment runs in.</summary>
    public required string Namespace { get; init; }

    /// <summary>The deployment's name.</summary>
    public required string Deployment { get; init; }

    /// <summary>The service's container image in the deployment's template.</summary>
    public required string Image { get; init; }

    /// <summary>The image's tag, e.g. <c>v1.2.3</c>.</summary>
    public string Version => ImageTags.Tag(Image);

    /// <summary>The deployment's revision (deployment.kubernetes.io/revision).</summary>
    public required long Revision { get; init; }

    /// <summary>The desired number of replicas.</summary>
    public required int Replicas { get; init; }

    /// <summary>Replicas that are ready.</summary>
    public required int Ready { get; init; }

    /// <summary>Replicas that run the current template.</summary>
    public required int Updated { get; init; }

    /// <summary>Replicas that are available.</summary>
    public required int Available { get; init; }

    /// <summary>Complete, Progressing, Failed (progress deadline exceeded) or Paused.</summary>
    public required DeploymentStatus Status { get; init; }

    /// <summary>Why this revision was rolled out (kubernetes.io/change-cause), if recorded.</summary>
    public string? ChangeCause { get; init; }

    /// <summary>kubectl rollout status's message for the deployment.</summary>
    public required string Message { get; init; }

    /// <summary>Reads the state of <paramref name="service"/> from its deployment.</summary>
    public static DeploymentState From(EnvironmentConfig environment, ServiceConfig service, V1Deployment deployment)
    {
        var progress = RolloutProgress.Of(deployment);
        var status = deployment.Status ?? new V1DeploymentStatus();
        return new DeploymentState
        {
            Environment = environment.Name,
            Service = service.Name,
            Namespace = deployment.Metadata.NamespaceProperty,
            Deployment = deployment.Metadata.Name,
            Image = Containers.Find(deployment, service).Image,
            Revision = Revisions.Of(deployment.Metadata),
            Replicas = deployment.Spec.Replicas ?? 1,
            Ready = status.ReadyReplicas ?? 0,
            Updated = status.UpdatedReplicas ?? 0,
            Available = status.AvailableReplicas ?? 0,
            Status = deployment.Spec.Paused == true ? DeploymentStatus.Paused
                : progress.Failed ? DeploymentStatus.Failed
                : progress.Done ? DeploymentStatus.Complete
                : DeploymentStatus.Progressing,
            ChangeCause = deployment.Metadata.Annotations?.TryGetValue(Rollout.ChangeCause.Annotation, out var cause) == true ? cause : null,
            Message = progress.Message,
        };
    }
}

/// <summary>Where a deployment's rollout stands.</summary>
public enum DeploymentStatus
{
    /// <summary>Every replica runs the current template and is available.</summary>
    Complete,
    /// <summary>A rollout is under way.</summary>
    Progressing,
    /// <summary>The rollout exceeded its progress deadline.</summary>
    Failed,
    /// <summary>The deployment is paused.</summary>
    Paused,
}

/// <summary>The revision numbers the deployment controller keeps in annotations.</summary>
public static class Revisions
{
    /// <summary>deployment.kubernetes.io/revision.</summary>
    public const string Annotation = "deployment.kubernetes.io/revision";

    /// <summary>The revision in an object's annotations, or 0.</summary>
    public static long Of(V1ObjectMeta metadata) =>
        metadata.Annotations?.TryGetValue(Annotation, out var text) == true && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : 0;
}
