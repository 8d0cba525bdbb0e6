using System.Text.Json.Serialization;
using Skillancer.Deploy.Engine.State.Identity;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.State.Approvals;

/// <summary>
/// A second person's approval of one version for one environment (Approve-SkDeployment), kept as a Secret of type
/// <c>skillancer.com/approval</c> in the environment's namespace, so that the cluster's RBAC decides who may write one.
/// </summary>
public sealed record DeploymentApproval : IRecordedResult
{
    /// <summary>Unique and sortable to the second, as a journal record's id: e.g. <c>20261204-101502-9f3a</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The environment the approval is for.</summary>
    public required string Environment { get; init; }

    /// <summary>The version approved, as its image tag (<c>v1.2.3</c>).</summary>
    public required string Version { get; init; }

    /// <summary>Who approved, as the cluster authenticated them, with the OS user and host beside.</summary>
    public required DeployerIdentity Approver { get; init; }

    /// <summary>When the approval was given.</summary>
    public required DateTimeOffset ApprovedAt { get; init; }

    /// <summary>When it stops counting.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>What the approver said (a change ticket, a condition).</summary>
    public string? Comment { get; init; }

    /// <summary>When it was revoked (Revoke-SkApproval), and so no longer exists; null for a standing approval.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Who revoked it.</summary>
    public DeployerIdentity? RevokedBy { get; init; }

    /// <summary>Valid, Expired or Revoked, now.</summary>
    [JsonIgnore]
    public string Status => RevokedAt is not null ? "Revoked" : ExpiresAt <= DateTimeOffset.UtcNow ? "Expired" : "Valid";

    /// <inheritdoc/>
    public RecordOutcome ToRecordOutcome() => new(RecordStatus.Succeeded, [
        RevokedAt is { } revoked
            ? new RecordStep { Name = $"revoke approval {Id}", Status = "Revoked", Detail = $"{Version} approved by {Approver.UserName} at {Clock(ApprovedAt)}; revoked at {Clock(revoked)}" }
            : new RecordStep { Name = $"approve {Version}", Status = "Approved", Detail = $"approval {Id} by {Approver}, valid until {Clock(ExpiresAt)}{(Comment is null ? "" : $": {Comment}")}" },
    ]) { Version = Version };

    /// <summary>"v1.2.3 approved by lead@skillancer.com until 2026-12-04 18:02 UTC".</summary>
    public override string ToString() => $"{Version} approved by {Approver.UserName} until {Clock(ExpiresAt)} (approval {Id})";

    internal static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
