using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>
/// What a rollout or a rollback did to one service's deployment: the part both results share. Each
/// result carries its own failure (<see cref="Failure"/>), so a caller writes the result and then its
/// error without asking the engine again.
/// </summary>
public abstract record DeploymentChange : IRecordedResult
{
    /// <summary>The environment, e.g. <c>staging</c>.</summary>
    public required string Environment { get; init; }

    /// <summary>The service, e.g. <c>api-gateway</c>.</summary>
    public required string Service { get; init; }

    /// <summary>The namespace the deployment runs in.</summary>
    public required string Namespace { get; init; }

    /// <summary>The deployment's name.</summary>
    public required string Deployment { get; init; }

    /// <summary>The image before the change.</summary>
    public required string FromImage { get; init; }

    /// <summary>The image the change set.</summary>
    public required string ToImage { get; init; }

    /// <summary>The tag before the change.</summary>
    public string FromVersion => ImageTags.Tag(FromImage);

    /// <summary>The deployment's revision after the change (0 until the controller has assigned it).</summary>
    public long Revision { get; init; }

    /// <summary>How long the change took, from the patch to the end of the wait.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>What happened, in kubectl's words where it has some.</summary>
    public required string Message { get; init; }

    /// <summary>The error to report for this result when it failed or timed out; null otherwise.</summary>
    public abstract DeployException? Failure();

    /// <summary>This change as a step of the journal's record.</summary>
    public RecordStep ToRecordStep() => new()
    {
        Name = $"{(IsUndo ? "rollback" : "rollout")} {Service}",
        Status = StatusName,
        Failed = Failure() is not null,
        Undo = IsUndo,
        Duration = Duration,
        Detail = $"{FromImage} -> {ToImage}: {Message}",
    };

    /// <inheritdoc/>
    RecordOutcome IRecordedResult.ToRecordOutcome() => RecordOutcome.OfSteps([ToRecordStep()]);

    // The result's status, as its own enum names it.
    private protected abstract string StatusName { get; }

    // True for a rollback: a change that puts back an earlier image.
    private protected abstract bool IsUndo { get; }
}
