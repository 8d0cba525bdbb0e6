using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Identity;

namespace Skillancer.Deploy.Engine.State.Approvals;

/// <summary>
/// The rule of an environment that requires approval, checked against the approvals in its cluster before the first
/// change: enough valid approvals of the version (approval.required), each from a different listed approver whom the
/// cluster authenticated, and not the deployer's own (unless allowSelfApproval). The identity check is one layer; the
/// cluster's RBAC (only approvers create approval Secrets) is the other.
/// </summary>
public static class ApprovalGate
{
    /// <summary>
    /// Checks the approvals of <paramref name="version"/> for a change by <paramref name="deployer"/>, and marks the
    /// admission approved with the ones that count. Does nothing for an admission that needs none (recovery actions,
    /// environments without requireApproval). Throws ApprovalRequired, naming the command to send to an approver.
    /// </summary>
    public static async Task VerifyAsync(
        ClusterConnection cluster, Admission admission, EnvironmentConfig environment, string? version, DeployerIdentity deployer, OperationHost host, CancellationToken cancellationToken)
    {
        if (!admission.NeedsApproval)
        {
            return;
        }

        if (version is null)
        {
            throw ApprovalErrors.VersionRequired(admission.Step, environment);
        }

        var rule = environment.Approval;
        var now = DateTimeOffset.UtcNow;
        var counted = new List<DeploymentApproval>();
        var notCounted = new List<string>();
        foreach (var approval in await ApprovalStore.ListAsync(cluster, environment, version, cancellationToken).ConfigureAwait(false))
        {
            if (WhyNotCounted(approval, rule, deployer, now) is { } why)
            {
                notCounted.Add(why);
            }
            else if (counted.All(c => c.Approver.UserName != approval.Approver.UserName))
            {
                counted.Add(approval);
            }
        }

        if (counted.Count < rule.Required)
        {
            throw ApprovalErrors.Required(admission.Step, environment, version, counted.Count, notCounted);
        }

        var used = counted.Take(rule.Required).ToList();
        admission.Approve(version, used);
        host.Verbose($"{version} is approved for {environment.Name} by {string.Join(", ", used)}.");
    }

    private static string? WhyNotCounted(DeploymentApproval approval, ApprovalSettings rule, DeployerIdentity deployer, DateTimeOffset now)
    {
        var who = approval.Approver;
        return approval.ExpiresAt <= now ? $"{who.UserName}'s expired at {DeploymentApproval.Clock(approval.ExpiresAt)}"
            : !who.Verified ? $"{who.UserName}'s was given by an identity the cluster did not verify"
            : !rule.AllowSelfApproval && who.UserName == deployer.UserName ? "your own does not count (allowSelfApproval: false)"
            : !rule.Lists(who.UserName, who.Groups) ? $"{who.UserName} is not in approval.approvers"
            : null;
    }
}
