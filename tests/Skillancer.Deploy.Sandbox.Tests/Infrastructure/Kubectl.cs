using System.Diagnostics;

namespace Skillancer.Deploy.Sandbox.Tests.Infrastructure;

/// <summary>
/// The real kubectl, with the sandbox's kubeconfig and a cache folder of its own. The program is
/// $SKDEPLOY_KUBECTL, else kubectl on PATH (build.ps1 installs it when missing).
/// </summary>
public sealed class Kubectl(string kubeconfig, string cacheDirectory)
{
    public static string Program => Environment.GetEnvironmentVariable("SKDEPLOY_KUBECTL") is { Length: > 0 } program ? program : "kubectl";

    /// <summary>Runs kubectl and returns its exit code and output; kubectl is given 60 s.</summary>
    public async Task<KubectlResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--kubeconfig", kubeconfig, "--cache-dir", cacheDirectory }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish in 60 s. Output so far: {await output}{await error}");
        }

        return new KubectlResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs kubectl and fails the test unless it succeeds; returns its standard output.</summary>
    public async Task<string> SucceedAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Error}{result.Output}");
        return result.Output;
    }
}

/// <summary>What a kubectl run printed, and how it exited.</summary>
public sealed record KubectlResult(int ExitCode, string Output, string Error);
