using Skillancer.Deploy.Sandbox.Kubernetes.Access;

namespace Skillancer.Deploy.Sandbox.Hosting;

/// <summary>
/// The one block a user pastes into PowerShell to use the sandbox: every variable its skdeploy.yml
/// names through a <c>*Env</c> key (tokens included: they are the sandbox's own, made at every start),
/// then the approver's, viewer's and admin's kubeconfigs, then KUBECONFIG (the deployer's) for kubectl, then SKDEPLOY_CONFIG, last and in exactly this form, because
/// build/Sandbox.psm1 waits for that line. It is printed at start and written to <see cref="FileName"/>.
/// </summary>
internal static class PasteBlock
{
    /// <summary>The file beside skdeploy.yml that holds the same block, for <c>. ./out/sandbox/sandbox.env.ps1</c>.</summary>
    public const string FileName = "sandbox.env.ps1";

    public static string For(SandboxHost sandbox)
    {
        var users = sandbox.Cluster.Users;
        var lines = new List<string>
        {
            "# Paste into PowerShell (or dot-source sandbox.env.ps1 beside skdeploy.yml) to use the sandbox: KUBECONFIG is the deployer's " +
            $"({users.Deployer.Name}); {KubeconfigVariable(users.Approver)} the approver's ({users.Approver.Name}, group {SandboxUsers.ApproversGroup}), " +
            $"{KubeconfigVariable(users.Viewer)} the read-only viewer's ({users.Viewer.Name}), {KubeconfigVariable(users.Admin)} cluster-admin's:",
        };
        lines.AddRange(sandbox.Variables.Select(v => Line(v.Key, v.Value)));
        lines.AddRange(sandbox.Cluster.Users.All.Where(u => u != sandbox.Cluster.Users.Deployer)
            .Select(u => Line(KubeconfigVariable(u), sandbox.Kubeconfigs[u.Role])));
        lines.Add(Line("KUBECONFIG", sandbox.KubeconfigPath));
        lines.Add(Line("SKDEPLOY_CONFIG", sandbox.ConfigPath));
        return string.Join(Environment.NewLine, lines);
    }

    public static string Write(SandboxHost sandbox)
    {
        var path = Path.Join(Path.GetDirectoryName(sandbox.ConfigPath), FileName);
        File.WriteAllText(path, For(sandbox) + Environment.NewLine);
        return path;
    }

    /// <summary>The variable that holds a user's kubeconfig: SKDEPLOY_SANDBOX_KUBECONFIG_APPROVER and so on.</summary>
    public static string KubeconfigVariable(SandboxUser user) => "SKDEPLOY_SANDBOX_KUBECONFIG_" + user.Role.ToUpperInvariant();

    // A PowerShell single-quoted string, so that nothing in a value is expanded.
    private static string Line(string name, string value) => $"$env:{name} = '{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
