using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>What Start-SkRollout (or Wait-SkRollout) did to one service's deployment.</summary>
public sealed record RolloutResult : DeploymentChange
{
    /// <summary>The tag rolled out, e.g. <c>v1.2.3</c>.</summary>
    public string Version => ImageTags.Tag(ToImage);

    /// <summary>Complete, Failed, TimedOut, Started (not waited for), Skipped (already running) or NotStarted (an earlier tier failed).</summary>
    public required RolloutStatus Status { get; init; }

    private protected override string StatusName => Status.ToString();

    private protected override bool IsUndo => false;

    /// <summary>RolloutFailed or RolloutTimeout for a rollout that failed or timed out; null for any other.</summary>
    public override DeployException? Failure() => Status switch
    {
        RolloutStatus.Failed => new DeployException(KubernetesErrors.RolloutFailed, DeployErrorCategory.InvalidResult,
            $"The rollout of {Service} to {ToImage} in {Environment} failed: {Message}. " +
            $"Roll it back with Undo-SkDeployment -Environment {Environment} -Service {Service} (or use -UndoOnFailure), then look at the new pods.",
            Service),
        RolloutStatus.TimedOut => new DeployException(KubernetesErrors.RolloutTimeout, DeployErrorCategory.OperationTimeout,
            $"The rollout of {Service} to {ToImage} in {Environment} is not finished: {Message}. " +
            $"Wait longer with Wait-SkRollout -Environment {Environment} -Service {Service} -Timeout <duration>, or roll back with Undo-SkDeployment.",
            Service),
        _ => null,
    };

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
