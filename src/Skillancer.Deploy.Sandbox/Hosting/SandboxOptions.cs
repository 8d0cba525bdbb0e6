namespace Skillancer.Deploy.Sandbox.Hosting;

/// <summary>Where the sandbox listens and where it writes the files that point at it.</summary>
/// <param name="OutputDirectory">The folder for skdeploy.yml (and, later, the kubeconfig).</param>
/// <param name="Port">The loopback port, or 0 for any free port.</param>
internal sealed record SandboxOptions(string OutputDirectory, int Port = 0);
