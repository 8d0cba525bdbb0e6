using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Identity;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.State.Approvals;

/// <summary>
/// The approver's entry points: Approve-SkDeployment and Revoke-SkApproval. Each is journaled in the environment (kind
/// Approval) and takes no lock, since it changes no deployment. An approver the configuration does not list, or whom
/// the cluster's RBAC does not let create approvals, is refused (ApprovalForbidden) before anything is written.
/// </summary>
public static class ApprovalWriter
{
    /// <summary>
    /// Writes the approval <paramref name="request"/> asks for, under the identity the cluster authenticates; null when
    /// the user declined or under -WhatIf. Throws InvalidVersion, InvalidApproval or ApprovalForbidden.
    /// </summary>
    public static async Task<DeploymentApproval?> ApproveAsync(
        ClusterConnection cluster, ApprovalRequest request, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        var (tag, validFor) = request.Validate();
        var environment = request.Environment;
        var approver = await IdentityReader.WhoAmIAsync(cluster, cancellationToken).ConfigureAwait(false);
        if (!approver.Verified)
        {
            throw ApprovalErrors.Forbidden(environment, "approve", $"the cluster does not say who you are (it serves no SelfSubjectReview), so an approval by '{approver.UserName}' would not count");
        }

        if (!environment.Approval.Lists(approver.UserName, approver.Groups))
        {
            var groups = approver.Groups.Count == 0 ? "no groups" : $"groups {string.Join(", ", approver.Groups)}";
            throw ApprovalErrors.Forbidden(environment, "approve", $"{approver.UserName} ({groups}) is not in approval.approvers of {environment.Name}");
        }

        if (!await IdentityReader.CanAsync(cluster, ApproverPermissions.CreateSecret, environment.Kubernetes.Namespace, cancellationToken).ConfigureAwait(false))
        {
            throw ApprovalErrors.Forbidden(environment, "approve", $"the cluster's RBAC does not let {approver.UserName} {ApproverPermissions.CreateSecret} in namespace {environment.Kubernetes.Namespace}");
        }

        var now = DateTimeOffset.UtcNow;
        var approval = new DeploymentApproval
        {
            Id = DeploymentRecord.NewId(now),
            Environment = environment.Name,
            Version = tag,
            Approver = approver,
            ApprovedAt = now,
            ExpiresAt = now + validFor,
            Comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim(),
        };
        if (host.ShouldProcess($"{tag} in {environment.Name}", $"Approve, valid until {DeploymentApproval.Clock(approval.ExpiresAt)}") is Approval.WhatIf or Approval.Declined)
        {
            return null;
        }

        var change = new ChangeRequest(environment, admission, new RecordSubject(RecordKind.Approval, tag, []));
        return await EnvironmentChange.RunUnlockedAsync(cluster, change, host, async token =>
        {
            await ApprovalStore.CreateAsync(cluster, environment, approval, token).ConfigureAwait(false);
            return approval;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Revokes the approval <paramref name="id"/> of <paramref name="admission"/>'s environment: it stops counting at
    /// once. Null when the user declined or under -WhatIf. Throws ApprovalNotFound or ApprovalForbidden.
    /// </summary>
    public static async Task<DeploymentApproval?> RevokeAsync(
        ClusterConnection cluster, Configuration.EnvironmentConfig environment, string id, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        var approval = await ApprovalStore.GetAsync(cluster, environment, id, cancellationToken).ConfigureAwait(false);
        if (!await IdentityReader.CanAsync(cluster, ApproverPermissions.DeleteSecret, environment.Kubernetes.Namespace, cancellationToken).ConfigureAwait(false))
        {
            throw ApprovalErrors.Forbidden(environment, "revoke", $"the cluster's RBAC does not let you {ApproverPermissions.DeleteSecret} in namespace {environment.Kubernetes.Namespace}");
        }

        if (host.ShouldProcess($"approval {id} of {environment.Name} ({approval})", "Revoke") is Approval.WhatIf or Approval.Declined)
        {
            return null;
        }

        var change = new ChangeRequest(environment, admission, new RecordSubject(RecordKind.Approval, approval.Version, []));
        return await EnvironmentChange.RunUnlockedAsync(cluster, change, host, async token =>
        {
            var revoker = await IdentityReader.WhoAmIAsync(cluster, token).ConfigureAwait(false);
            await ApprovalStore.DeleteAsync(cluster, environment, approval, token).ConfigureAwait(false);
            return approval with { RevokedAt = DateTimeOffset.UtcNow, RevokedBy = revoker };
        }, cancellationToken).ConfigureAwait(false);
    }
}
