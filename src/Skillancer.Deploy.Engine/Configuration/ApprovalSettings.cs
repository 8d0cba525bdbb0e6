namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>
/// Who must approve a version before it changes an environment that requires approval
/// (<c>environments.&lt;name&gt;.approval</c>; <c>requireApproval: true</c> alone means <see cref="Default"/>).
/// </summary>
/// <param name="Approvers">
/// <c>user:&lt;name&gt;</c> and <c>group:&lt;name&gt;</c> entries, as the cluster authenticates identities. Empty: any
/// verified identity other than the deployer; the cluster's RBAC (who may create approval Secrets) is then the only list.
/// </param>
/// <param name="Required">How many valid approvals, from different approvers, a version needs.</param>
/// <param name="ValidFor">How long an approval counts after it is given (Approve-SkDeployment -ValidFor may shorten it, never lengthen it).</param>
/// <param name="AllowSelfApproval">Whether the deployer's own approval counts.</param>
public sealed record ApprovalSettings(IReadOnlyList<string> Approvers, int Required, TimeSpan ValidFor, bool AllowSelfApproval)
{
    /// <summary>The contract's defaults: one approval, valid for 8 hours, not the deployer's own, from anyone the cluster lets approve.</summary>
    public static ApprovalSettings Default { get; } = new([], 1, TimeSpan.FromHours(8), false);

    /// <summary>True when <paramref name="user"/> or one of <paramref name="groups"/> is in <see cref="Approvers"/> (or the list is empty).</summary>
    public bool Lists(string user, IEnumerable<string> groups) =>
        Approvers.Count == 0
        || Approvers.Any(entry =>
            (entry.StartsWith("user:", StringComparison.Ordinal) && string.Equals(entry[5..], user, StringComparison.Ordinal))
            || (entry.StartsWith("group:", StringComparison.Ordinal) && groups.Contains(entry[6..], StringComparer.Ordinal)));

    /// <summary>The approvers list as the messages say it: "group:eng-leads, user:alice@skillancer.com", or "anyone the cluster lets approve".</summary>
    public string DescribeApprovers() => Approvers.Count == 0 ? "anyone the cluster lets approve (approval.approvers is empty)" : string.Join(", ", Approvers);
}
