using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration.Deployment;

/// <summary>How one step of a deployment run ended.</summary>
public enum DeploymentStepStatus
{
    /// <summary>It did what it was asked.</summary>
    Succeeded,

    /// <summary>It did, with something to look at (a preflight warning, a watch with no data source).</summary>
    Warning,

    /// <summary>It failed: the run stops here, and rolls back what it changed.</summary>
    Failed,

    /// <summary>Nothing to do here (no database section, no frontend change), or not reached.</summary>
    Skipped,

    /// <summary>-WhatIf: what the step would do.</summary>
    Planned,
}

/// <summary>One step of a deployment run: its name, how it ended, how long it took, and what it saw or did.</summary>
public sealed record DeploymentStep(string Name, DeploymentStepStatus Status, TimeSpan Duration, string Detail)
{
    /// <summary>A step of the rollback that followed a failure.</summary>
    public bool Undo { get; init; }

    /// <summary>The step as the journal keeps it.</summary>
    public RecordStep ToRecordStep() => new()
    {
        Name = Name,
        Status = Status.ToString(),
        Failed = Status == DeploymentStepStatus.Failed,
        Undo = Undo,
        Duration = Duration,
        Detail = Detail,
    };

    /// <summary>A step a run ended before its process died, as a resumed run carries it; null for one it did not end.</summary>
    public static DeploymentStep? FromRecord(RecordStep step) =>
        Enum.TryParse<DeploymentStepStatus>(step.Status, out var status) && status != DeploymentStepStatus.Planned
            ? new DeploymentStep(step.Name, status, step.Duration ?? TimeSpan.Zero, step.Detail)
            : null;
}

/// <summary>
/// Invoke-SkDeployment's result: the run's record id, who ran it and who approved it, and every step in order, the
/// rollback's included. <see cref="Failure"/> is the DeploymentFailed error that follows it when a step failed.
/// </summary>
public sealed record DeploymentRun : IRecordedResult
{
    /// <summary>The journal record's id (the UTC start), or null under -WhatIf.</summary>
    public string? Id { get; init; }

    /// <summary>The environment deployed to.</summary>
    public required string Environment { get; init; }

    /// <summary>The version, as its tag (v1.2.3).</summary>
    public required string Version { get; init; }

    /// <summary>Succeeded, Failed or RolledBack; Running only under -WhatIf, where nothing ran.</summary>
    public RecordStatus Status { get; init; }

    /// <summary>Who ran it, as the cluster authenticates them.</summary>
    public string? By { get; init; }

    /// <summary>The approvals the run went ahead on.</summary>
    public IReadOnlyList<string> ApprovedBy { get; init; } = [];

    /// <summary>When it started.</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>How long it took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The services put back on their previous images after a failure.</summary>
    public IReadOnlyList<string> RolledBack { get; init; } = [];

    /// <summary>Every step, in the order it ran.</summary>
    public IReadOnlyList<DeploymentStep> Steps { get; init; } = [];

    /// <summary>What the run measured, as the record's charts: the watch's error ratio, each canary against stable, the metrics before and after.</summary>
    public IReadOnlyList<RecordChart> Charts { get; init; } = [];

    /// <summary>The emergency's reason, when the run was one.</summary>
    public string? EmergencyReason { get; init; }

    /// <summary>What the record adds: the post-mortem an incident calls for, -NoRollback.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The reports written (-ReportPath, $GITHUB_STEP_SUMMARY).</summary>
    public IReadOnlyList<string> Reports { get; init; } = [];

    /// <summary>True under -WhatIf: the steps are the plan, and nothing was changed.</summary>
    public bool WhatIf { get; init; }

    /// <summary>DeploymentFailed, naming the step, the reason and the record; null when the run succeeded.</summary>
    public DeployException? Failure { get; init; }

    /// <summary>The steps as the journal keeps them; the rollback's marked as undo, so a rolled-back run says RolledBack.</summary>
    public RecordOutcome ToRecordOutcome()
    {
        var steps = Steps.Select(s => s.ToRecordStep()).ToList();
        return RecordOutcome.OfSteps(steps) with { Error = Failure?.Message, ErrorId = Failure?.ErrorId, Notes = Notes, Charts = Charts };
    }
}
