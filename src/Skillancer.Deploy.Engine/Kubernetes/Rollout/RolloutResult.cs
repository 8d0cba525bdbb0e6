using Skillancer.Deploy.Engine.Configuration;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>What Start-SkRollout (or Wait-SkRollout) did to one service's deployment.</summary>
public sealed record RolloutResult
{
    /// <summary>The environment, e.g. <c>staging</c>.</summary>
    public required string Environment { get; init; }

    /// <summary>The service, e.g. <c>api-gateway</c>.</summary>
    public required string Service { get; init; }

    /// <summary>The namespace the deployment runs in.</summary>
    public required string Namespace { get; init; }

    /// <summary>The deployment's name.</summary>
    public required string Deployment { get; init; }

    /// <summary>The image before the rollout.</summary>
    public required string FromImage { get; init; }

    /// <summary>The image rolled out.</summary>
    public required string ToImage { get; init; }

    /// <summary>The tag rolled out, e.g. <c>v1.2.3</c>.</summary>
    public string Version => ImageTags.Tag(ToImage);

    /// <summary>The tag before the rollout.</summary>
    public string FromVersion => ImageTags.Tag(FromImage);

    /// <summary>The deployment's revision after the rollout (0 until the controller has assigned it).</summary>
    public long Revision { get; init; }

    /// <summary>Complete, Failed, TimedOut, Started (not waited for), Skipped (already running) or NotStarted (an earlier tier failed).</summary>
    public required RolloutStatus Status { get; init; }

    /// <summary>How long the rollout took, from the patch to the end of the wait.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>What happened, in kubectl's words where it has some.</summary>
    public required string Message { get; init; }

    /// <summary>A rollout of <paramref name="deployment"/> from one image to another that has just been started.</summary>
    public static RolloutResult Started(EnvironmentConfig environment, ServiceConfig service, string deployment, string fromImage, string toImage, long revision = 0) => new()
    {
        Environment = environment.Name,
        Service = service.Name,
        Namespace = environment.Kubernetes.Namespace,
        Deployment = deployment,
        FromImage = fromImage,
        ToImage = toImage,
        Revision = revision,
        Status = RolloutStatus.Started,
        Message = $"rollout of {toImage} started",
    };
}

/// <summary>How a service's rollout ended.</summary>
public enum RolloutStatus
{
    /// <summary>Every replica runs the new image and is available.</summary>
    Complete,
    /// <summary>The rollout exceeded its progress deadline.</summary>
    Failed,
    /// <summary>The wait ran out of time first.</summary>
    TimedOut,
    /// <summary>The new image was set; nobody waited for it (-NoWait).</summary>
    Started,
    /// <summary>The deployment already ran the image.</summary>
    Skipped,
    /// <summary>Not started because a service of an earlier tier failed.</summary>
    NotStarted,
}
