using System.Globalization;
using System.Security.Cryptography;
using Skillancer.Deploy.Engine.State.Identity;

namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>
/// The journal's record of one state-changing action: who did what to which environment, when, for how long,
/// and how each step ended. Written before the action's first change (Running) and rewritten when it ends.
/// It never holds a secret: only names, versions, statuses and the results' messages.
/// </summary>
public sealed record DeploymentRecord
{
    /// <summary>Unique, and sortable to the second: the start time (UTC) and a random part, e.g. <c>20261203-141502-9f3a</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The kind of action.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>The environment changed.</summary>
    public required string Environment { get; init; }

    /// <summary>The version deployed or worked on; null when the action has none.</summary>
    public string? Version { get; init; }

    /// <summary>The services touched.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>The approvals that let a change through in an environment that requires approval: "lead@skillancer.com (approval 20261204-101502-9f3a)".</summary>
    public IReadOnlyList<string> ApprovedBy { get; init; } = [];

    /// <summary>The cmdlet (or run step) that acted, e.g. <c>Start-SkRollout</c>.</summary>
    public required string Action { get; init; }

    /// <summary>True for a recovery action (a rollback, a canary stop, a lock broken): no approval needed, never blocked by the schedule.</summary>
    public bool Recovery { get; init; }

    /// <summary>The emergency's reason, when the action was let through outside the windows with -Emergency.</summary>
    public string? EmergencyReason { get; init; }

    /// <summary>Who acted, as the cluster authenticated them, with the OS user and host beside.</summary>
    public required DeployerIdentity Who { get; init; }

    /// <summary>When the action started (the record was opened).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended; null while it runs.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>How long it ran; null while it runs.</summary>
    public TimeSpan? Duration => EndedAt - StartedAt;

    /// <summary>Where it stands.</summary>
    public RecordStatus Status { get; init; } = RecordStatus.Running;

    /// <summary>Each step, in order.</summary>
    public IReadOnlyList<RecordStep> Steps { get; init; } = [];

    /// <summary>
    /// The image each service ran before a deployment run's rollout, kept as the rollout starts, while the run is Running:
    /// a resumed run puts services back on exactly these when a later step fails. Null for other actions.
    /// </summary>
    public IReadOnlyDictionary<string, string>? PreviousImages { get; init; }

    /// <summary>
    /// The options a deployment run was started with, by parameter name (MonitorDuration, AcceptPreflightWarnings,
    /// AcknowledgeRisk, NoRollback): a resumed run carries on with them. Null for other actions.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>
    /// Where a long action stood at its last checkpoint, for its resumption: a progressive canary's failed analyses and
    /// its step's extensions so far. Null for other actions.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Progress { get; init; }

    /// <summary>
    /// What the action measured, as charts for the post-mortem: the error ratio during a deployment's watch, each canary
    /// against stable, the metrics before and after. Empty for actions that measure nothing.
    /// </summary>
    public IReadOnlyList<RecordChart> Charts { get; init; } = [];

    /// <summary>The error that ended the action, when one did.</summary>
    public string? Error { get; init; }

    /// <summary>The error's id (FullyQualifiedErrorId), when one ended it.</summary>
    public string? ErrorId { get; init; }

    /// <summary>What else happened: a lock taken over from a dead holder, a record marked abandoned, a cap applied.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>True when some step output was cut to keep the record small (<see cref="Notes"/> says how).</summary>
    public bool Capped { get; init; }

    /// <summary>A new id for an action starting at <paramref name="at"/>.</summary>
    public static string NewId(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();

    /// <summary>"20261203-141502-9f3a Rollout v1.2.3 staging Succeeded".</summary>
    public override string ToString() => $"{Id} {Kind}{(Version is null ? "" : " " + Version)} {Environment} {Status}";
}
