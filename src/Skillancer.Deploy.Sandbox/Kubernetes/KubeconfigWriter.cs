using System.Text;
using Skillancer.Deploy.Sandbox.Kubernetes.Access;

namespace Skillancer.Deploy.Sandbox.Kubernetes;

/// <summary>
/// Writes the kubeconfigs that point kubectl and client libraries at the sandbox's API server, one per user:
/// <c>kubeconfig</c> for the deployer (the default one), <c>kubeconfig-approver</c>, <c>kubeconfig-viewer</c> and
/// <c>kubeconfig-admin</c>. Each has one context, named <see cref="ContextName"/>.
/// </summary>
internal static class KubeconfigWriter
{
    public const string ContextName = "sandbox";

    /// <summary>The file name of a user's kubeconfig: the deployer's is plain <c>kubeconfig</c>.</summary>
    public static string FileName(SandboxUser user) => user.Role == "deployer" ? "kubeconfig" : $"kubeconfig-{user.Role}";

    public static string Write(string directory, Uri server, string authorityPem, SandboxUser user, string defaultNamespace)
    {
        var path = Path.Join(directory, FileName(user));
        var token = user.Token;
        var authority = Convert.ToBase64String(Encoding.ASCII.GetBytes(authorityPem));
        var yaml = new StringBuilder()
            .AppendLine("# Written by the Skillancer.Deploy sandbox for its own Kubernetes API. It changes at every start.")
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine($"- name: {ContextName}")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {server.GetLeftPart(UriPartial.Authority)}")
            .AppendLine($"    certificate-authority-data: {authority}")
            .AppendLine("users:")
            .AppendLine($"- name: {user.Name}")
            .AppendLine("  user:")
            .AppendLine($"    token: {token}")
            .AppendLine("contexts:")
            .AppendLine($"- name: {ContextName}")
            .AppendLine("  context:")
            .AppendLine($"    cluster: {ContextName}")
            .AppendLine($"    user: {user.Name}")
            .AppendLine($"    namespace: {defaultNamespace}")
            .AppendLine($"current-context: {ContextName}")
            .ToString();
        File.WriteAllText(path, yaml);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
