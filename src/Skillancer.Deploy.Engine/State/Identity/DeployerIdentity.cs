namespace Skillancer.Deploy.Engine.State.Identity;

/// <summary>
/// Who runs a command: the user and groups the cluster authenticates (SelfSubjectReview, as
/// <c>kubectl auth whoami</c>), and beside them the operating-system user and host it ran on.
/// </summary>
public sealed record DeployerIdentity
{
    /// <summary>The user name the API server authenticated, e.g. <c>lead@skillancer.com</c> or <c>system:serviceaccount:ci:deployer</c>.</summary>
    public required string UserName { get; init; }

    /// <summary>The groups the API server reports for the user.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>
    /// True when the API server said who this is. False only when it does not serve SelfSubjectReview (before
    /// Kubernetes 1.28), and <see cref="UserName"/> is the kubeconfig's user entry: a label anyone can write.
    /// </summary>
    public required bool Verified { get; init; }

    /// <summary>The operating-system user that ran the command.</summary>
    public string OsUser { get; init; } = Environment.UserName;

    /// <summary>The machine the command ran on.</summary>
    public string HostName { get; init; } = Environment.MachineName;

    /// <summary>"lead@skillancer.com (alice on build-7)", with "unverified" when the server did not say.</summary>
    public override string ToString() => $"{UserName}{(Verified ? "" : " (unverified)")} ({OsUser} on {HostName})";
}
