using System.Security.Cryptography;
using System.Text;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Access;

/// <summary>One identity the sandbox's API authenticates: a bearer token that maps to a user name and groups.</summary>
/// <param name="Role">What the sandbox calls the user: deployer, approver, viewer or admin; it names the kubeconfig file.</param>
/// <param name="Name">The user name the API authenticates, as SelfSubjectReview returns it.</param>
/// <param name="Groups">The user's own groups (system:authenticated is added).</param>
/// <param name="Token">The bearer token its kubeconfig carries.</param>
internal sealed record SandboxUser(string Role, string Name, IReadOnlyList<string> Groups, string Token)
{
    /// <summary>The group every authenticated user is in, as the real authenticator adds it.</summary>
    public const string Authenticated = "system:authenticated";

    /// <summary>The groups the API sees for this user: its own, then system:authenticated.</summary>
    public IReadOnlyList<string> AllGroups => [.. Groups, Authenticated];
}

/// <summary>
/// The sandbox's users, made at every start: a deployer (the default kubeconfig's), an approver in the
/// eng-leads group, a read-only viewer, and an admin in system:masters that test fixtures and the sandbox's
/// own tooling use to set things up.
/// </summary>
internal sealed class SandboxUsers
{
    public const string DeployersGroup = "skillancer-deployers";
    public const string ApproversGroup = "eng-leads";
    public const string ViewersGroup = "skillancer-viewers";
    public const string MastersGroup = "system:masters";

    public SandboxUser Deployer { get; } = new("deployer", "deployer@skillancer.test", [DeployersGroup], NewToken());

    public SandboxUser Approver { get; } = new("approver", "lead@skillancer.test", [ApproversGroup], NewToken());

    public SandboxUser Viewer { get; } = new("viewer", "viewer@skillancer.test", [ViewersGroup], NewToken());

    public SandboxUser Admin { get; } = new("admin", "sandbox-admin", [MastersGroup], NewToken());

    public IReadOnlyList<SandboxUser> All => [Deployer, Approver, Viewer, Admin];

    /// <summary>The user whose token the Authorization header carries, or null; every token is compared in constant time.</summary>
    public SandboxUser? Authenticate(string authorization)
    {
        var header = Encoding.UTF8.GetBytes(authorization);
        SandboxUser? found = null;
        foreach (var user in All)
        {
            if (CryptographicOperations.FixedTimeEquals(header, Encoding.UTF8.GetBytes("Bearer " + user.Token)))
            {
                found = user;
            }
        }

        return found;
    }

    private static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
