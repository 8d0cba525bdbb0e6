namespace Skillancer.Deploy.Sandbox.Hosting;

/// <summary>
/// The one block a user pastes into PowerShell to use the sandbox: every variable its skdeploy.yml
/// names through a <c>*Env</c> key (tokens included: they are the sandbox's own, made at every start),
/// then KUBECONFIG for kubectl, then SKDEPLOY_CONFIG, last and in exactly this form, because
/// build/Sandbox.psm1 waits for that line. It is printed at start and written to <see cref="FileName"/>.
/// </summary>
internal static class PasteBlock
{
    /// <summary>The file beside skdeploy.yml that holds the same block, for <c>. ./out/sandbox/sandbox.env.ps1</c>.</summary>
    public const string FileName = "sandbox.env.ps1";

    public static string For(SandboxHost sandbox)
    {
        var lines = new List<string> { "# Paste into PowerShell (or dot-source sandbox.env.ps1 beside skdeploy.yml) to use the sandbox:" };
        lines.AddRange(sandbox.Variables.Select(v => Line(v.Key, v.Value)));
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

    // A PowerShell single-quoted string, so that nothing in a value is expanded.
    private static string Line(string name, string value) => $"$env:{name} = '{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
