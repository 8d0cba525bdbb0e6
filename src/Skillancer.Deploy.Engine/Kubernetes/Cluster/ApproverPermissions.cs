namespace Skillancer.Deploy.Engine.Kubernetes.Cluster;

/// <summary>
/// What an approver's credentials need (Approve-SkDeployment, Revoke-SkApproval, Get-SkApproval), kept apart from
/// <see cref="ClusterPermissions"/> (the deployer's) because a separate Role grants it: README's approver Role is
/// tested against <see cref="All"/>. Only approvers may create approvals; deployers only read them.
/// </summary>
public static class ApproverPermissions
{
    /// <summary>Write an approval (Approve-SkDeployment).</summary>
    public static readonly ApiAccess CreateSecret = new("", "secrets", "create");

    /// <summary>Delete an approval (Revoke-SkApproval).</summary>
    public static readonly ApiAccess DeleteSecret = new("", "secrets", "delete");

    /// <summary>
    /// Every permission an approver uses: the two above, reading approvals, and the journal's record of each approval
    /// and revocation (opened, closed, the oldest pruned).
    /// </summary>
    public static IReadOnlyList<ApiAccess> All { get; } =
    [
        CreateSecret,
        DeleteSecret,
        ClusterPermissions.ListSecrets,
        ClusterPermissions.CreateConfigMap,
        ClusterPermissions.UpdateConfigMap,
        ClusterPermissions.ListConfigMaps,
        ClusterPermissions.DeleteConfigMap,
    ];
}
