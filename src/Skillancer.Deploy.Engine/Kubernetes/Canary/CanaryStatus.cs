using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Kubernetes.Canary;

/// <summary>A service's canary: what the stable and canary deployments run, and how traffic is split between them.</summary>
public sealed record CanaryStatus : IRecordedResult
{
    /// <summary>The environment.</summary>
    public required string Environment { get; init; }

    /// <summary>The service.</summary>
    public required string Service { get; init; }

    /// <summary>The VirtualService that splits the traffic.</summary>
    public required string VirtualService { get; init; }

    /// <summary>The stable deployment's image.</summary>
    public required string StableImage { get; init; }

    /// <summary>The canary deployment's image, or null when there is no canary deployment.</summary>
    public string? CanaryImage { get; init; }

    /// <summary>The stable image's tag.</summary>
    public string StableVersion => Rollout.ImageTags.Tag(StableImage);

    /// <summary>The canary image's tag, or null.</summary>
    public string? CanaryVersion => CanaryImage is null ? null : Rollout.ImageTags.Tag(CanaryImage);

    /// <summary>The stable subset's share of traffic, in percent.</summary>
    public required int StableWeight { get; init; }

    /// <summary>The canary subset's share of traffic, in percent.</summary>
    public required int CanaryWeight { get; init; }

    /// <summary>True when every canary replica is available.</summary>
    public required bool CanaryReady { get; init; }

    /// <summary>The canary deployment's desired replicas (0 when stopped or absent).</summary>
    public required int CanaryReplicas { get; init; }

    /// <summary>One step: the traffic split and the canary's state after the action; the version is the canary's (the stable one once promoted).</summary>
    public RecordOutcome ToRecordOutcome() => RecordOutcome.OfSteps(
    [
        new RecordStep
        {
            Name = $"canary {Service}",
            Status = $"stable {StableWeight}% / canary {CanaryWeight}%",
            Detail = $"stable {StableImage}; canary {CanaryImage ?? "none"} ({CanaryReplicas} replicas, {(CanaryReady ? "ready" : "not ready")})",
        },
    ]) with { Version = CanaryVersion ?? StableVersion };
}
