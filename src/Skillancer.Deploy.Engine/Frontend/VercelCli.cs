using System.Diagnostics;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Frontend;

/// <summary>
/// The runbook's <c>vercel deploy --prod --token=$VERCEL_TOKEN</c>, without the token on the command line:
/// the vercel CLI reads VERCEL_TOKEN from its environment, so the token goes only into the child
/// process's environment, and never into its arguments, our output or our errors. The CLI prints the
/// deployment's URL on standard output and its progress on standard error.
/// </summary>
public static class VercelCli
{
    /// <summary>The variable the vercel CLI reads its token from.</summary>
    public const string TokenVariable = "VERCEL_TOKEN";

    /// <summary>Error id: the vercel CLI is not installed.</summary>
    public const string NotInstalled = "VercelNotInstalled";

    /// <summary>Error id: vercel deploy failed or printed no URL.</summary>
    public const string DeployFailed = "VercelDeployFailed";

    /// <summary>The arguments of the deploy: never a token.</summary>
    public static IReadOnlyList<string> DeployArguments(string path, bool production) =>
        production ? ["deploy", "--prod", "--yes", "--cwd", path] : ["deploy", "--yes", "--cwd", path];

    /// <summary>What <c>vercel --version</c> prints, to show which CLI runs.</summary>
    public static async Task<string> VersionAsync(string program, CancellationToken cancellationToken)
    {
        var result = await RunAsync(program, ["--version"], Directory.GetCurrentDirectory(), TimeSpan.FromMinutes(1), new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        return (result.Output + "\n" + result.Error).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(l => l.Length > 0 && char.IsAsciiDigit(l[0])) ?? result.Output.Trim();
    }

    /// <summary>
    /// Deploys the request's folder, once <paramref name="admission"/> covers its environment and the user
    /// confirms (-WhatIf runs nothing): null when declined. The token goes only into the child's environment.
    /// </summary>
    public static async Task<VercelDeployment?> DeployAsync(VercelDeployRequest request, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        request.Validate();
        admission.Require(request.Environment);
        if (host.ShouldProcess($"{request.Path} ({request.Environment.Name})", request.Production ? "vercel deploy --prod" : "vercel deploy (preview)") != Approval.Approved)
        {
            return null;
        }

        var arguments = DeployArguments(request.Path, request.Production);
        host.Verbose($"Running {request.Program} {string.Join(' ', arguments)} (token in ${TokenVariable})");
        var started = Stopwatch.StartNew();
        var result = await RunAsync(request.Program, arguments, request.Path, request.Timeout, new Dictionary<string, string> { [TokenVariable] = request.Token.Reveal() }, cancellationToken).ConfigureAwait(false);
        var url = result.Output.Split('\n', StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith("https://", StringComparison.Ordinal) && Uri.TryCreate(l, UriKind.Absolute, out _));
        if (!result.Succeeded || url is null)
        {
            var tail = string.Join('\n', (result.Error + "\n" + result.Output).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).TakeLast(10));
            throw new DeployException(DeployFailed, DeployErrorCategory.InvalidResult,
                $"vercel deploy {(result.Succeeded ? "printed no deployment URL" : $"failed with exit code {result.ExitCode}")}: {Secret.Redact(tail)}",
                request.Path);
        }

        return new VercelDeployment { Environment = request.Environment.Name, Path = request.Path, Url = new Uri(url), Production = request.Production, Duration = started.Elapsed };
    }

    private static async Task<ProcessResult> RunAsync(
        string program, IReadOnlyList<string> arguments, string directory, TimeSpan timeout, Dictionary<string, string> variables, CancellationToken cancellationToken)
    {
        try
        {
            return await ProcessRunner.RunAsync(program, arguments, directory, timeout, variables, cancellationToken).ConfigureAwait(false);
        }
        catch (ProgramNotFoundException)
        {
            throw new DeployException(NotInstalled, DeployErrorCategory.NotInstalled,
                $"The vercel CLI ('{program}') is not installed. Install it (npm install --global vercel), pass its path with -VercelPath, or deploy the frontend to the cluster with -Target Kubernetes.",
                program);
        }
        catch (TimeoutException)
        {
            throw new DeployException(DeployFailed, DeployErrorCategory.OperationTimeout,
                $"vercel did not finish within {timeout.TotalMinutes:0} min and was stopped. Raise -Timeout, or check the deployment on vercel.com.", program);
        }
    }
}
