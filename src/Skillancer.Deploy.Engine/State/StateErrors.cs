using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.State;

/// <summary>The error ids of the deployment state kept in the cluster: the lock, the journal and approvals.</summary>
public static class StateErrors
{
    /// <summary>Another action holds the environment's lock.</summary>
    public const string DeploymentLocked = "DeploymentLocked";

    /// <summary>The lock was taken by someone else, or could not be renewed, while this action held it.</summary>
    public const string LockLost = "DeploymentLockLost";

    /// <summary>A lock duration or wait that cannot be used.</summary>
    public const string InvalidLockTimeout = "InvalidLockTimeout";

    /// <summary>The journal's opening record could not be written, so the action did not start.</summary>
    public const string JournalUnavailable = "JournalUnavailable";

    /// <summary>A journal query that cannot be answered (-Last under 1, a malformed -Id).</summary>
    public const string InvalidJournalQuery = "InvalidJournalQuery";

    /// <summary>A report's file could not be written (a missing folder, no permission).</summary>
    public const string ReportNotWritten = "ReportNotWritten";

    /// <summary>No journal record has the id asked for.</summary>
    public const string RecordNotFound = "DeploymentRecordNotFound";

    /// <summary>Unlock-SkEnvironment was asked to break a live lock without -Force.</summary>
    public const string UnlockRequiresForce = "UnlockRequiresForce";

    /// <summary>The environment requires approval of the version, and it has not enough approvals that count.</summary>
    public const string ApprovalRequired = "ApprovalRequired";

    /// <summary>The identity may not approve here: not in approval.approvers, unverified, or refused by the cluster's RBAC.</summary>
    public const string ApprovalForbidden = "ApprovalForbidden";

    /// <summary>An approval asked for with values that cannot be used (-ValidFor, an environment without approvals).</summary>
    public const string InvalidApproval = "InvalidApproval";

    /// <summary>No approval has the id asked for.</summary>
    public const string ApprovalNotFound = "ApprovalNotFound";

    /// <summary>-Resume found no Running record to carry on, or the record ended before it could be.</summary>
    public const string NothingToResume = "NothingToResume";

    /// <summary>-Resume with a -Version other than the version of the run it would carry on.</summary>
    public const string ResumeVersionMismatch = "ResumeVersionMismatch";

    /// <summary>
    /// The record <paramref name="id"/> can no longer be resumed: it ended (<paramref name="status"/>) or is gone. Its holder
    /// finished meanwhile, or another action found its lock expired and marked it Abandoned.
    /// </summary>
    public static DeployException NotResumable(Configuration.EnvironmentConfig environment, string id, Journal.RecordStatus? status) =>
        new(NothingToResume, DeployErrorCategory.InvalidOperation,
            $"The record {id} of {environment.Name} {(status is { } s ? $"ended {s}" : "is gone")}, so there is nothing to resume. " +
            $"Get-SkDeploymentLog -Environment {environment.Name} -Id {id} shows how it ended; start a new run if the version still needs deploying. Nothing was changed.",
            id);
}
