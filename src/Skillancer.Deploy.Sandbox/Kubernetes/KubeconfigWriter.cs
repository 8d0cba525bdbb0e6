using System.Text;

namespace Skillancer.Deploy.Sandbox.Kubernetes;

/// <summary>Writes the kubeconfig that points kubectl and client libraries at the sandbox's API server.</summary>
internal static class KubeconfigWriter
{
    public const string ContextName = "sandbox";

    public static string Write(string directory, Uri server, string authorityPem, string token, string defaultNamespace)
    {
        var path = Path.Join(directory, "kubeconfig");
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
            .AppendLine($"- name: {ContextName}")
            .AppendLine("  user:")
            .AppendLine($"    token: {token}")
            .AppendLine("contexts:")
            .AppendLine($"- name: {ContextName}")
            .AppendLine("  context:")
            .AppendLine($"    cluster: {ContextName}")
            .AppendLine($"    user: {ContextName}")
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
