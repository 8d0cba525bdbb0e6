using System.Globalization;
using System.Text.Json;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification.Smoke;

/// <summary>
/// The smoke checks that run in a child PowerShell: a Pester suite (each test becomes a result) and an
/// external command such as <c>pnpm test:smoke:production</c> (its exit code decides). Both see the
/// environment in SKDEPLOY_ENVIRONMENT, SKDEPLOY_ENVIRONMENT_URL and SKDEPLOY_CONFIG.
/// </summary>
public static class ChildProcessChecks
{
    /// <summary>How many lines of a failed command's output a result keeps.</summary>
    public const int TailLines = 20;

    // Runs the suite with output off and writes each test (and each container that could not run) as JSON.
    private const string PesterRunner = """
        $ErrorActionPreference = 'Stop'
        Import-Module -Name $env:SKDEPLOY_PESTER_MODULE
        $configuration = New-PesterConfiguration
        $configuration.Run.Path = $env:SKDEPLOY_SMOKE_PATH
        $configuration.Run.PassThru = $true
        $configuration.Output.Verbosity = 'None'
        $run = Invoke-Pester -Configuration $configuration
        $results = @(
            foreach ($test in $run.Tests) {
                # A failure in a BeforeAll is recorded on its block, not on the tests it fails.
                $failure = @($test.ErrorRecord)[0]
                for ($block = $test.Block; -not $failure -and $block; $block = $block.Parent) { $failure = @($block.ErrorRecord)[0] }
                [ordered]@{ name = $test.ExpandedPath; result = "$($test.Result)"; ms = $test.Duration.TotalMilliseconds; error = "$failure" }
            }
            foreach ($container in $run.Containers | Where-Object { $_.Result -eq 'Failed' -and @($_.ErrorRecord).Count -gt 0 }) {
                [ordered]@{ name = "$($container.Item)"; result = 'Failed'; ms = $container.Duration.TotalMilliseconds; error = "the suite could not run: $(@($container.ErrorRecord)[0])" }
            }
        )
        ConvertTo-Json -InputObject $results -Depth 3 | Set-Content -LiteralPath $env:SKDEPLOY_SMOKE_RESULT -Encoding utf8
        """;

    // Runs the command; a native program's exit code wins, else a failed last statement is 1.
    private const string CommandRunner = """
        $global:LASTEXITCODE = 0
        & ([scriptblock]::Create($env:SKDEPLOY_SMOKE_COMMAND))
        $succeeded = $?
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
        if (-not $succeeded) { exit 1 }
        exit 0
        """;

    /// <summary>Runs a Pester suite (folder or file); one result per test.</summary>
    public static async Task<IReadOnlyList<SmokeResult>> RunPesterAsync(
        PwshProgram pwsh, string pesterModule, string path, EnvironmentConfig environment, TimeSpan timeout, OperationHost host, CancellationToken cancellationToken)
    {
        var resultFile = Path.Join(Path.GetTempPath(), $"skdeploy-smoke-{Guid.NewGuid():N}.json");
        try
        {
            var variables = Variables(environment);
            variables["SKDEPLOY_PESTER_MODULE"] = pesterModule;
            variables["SKDEPLOY_SMOKE_PATH"] = path;
            variables["SKDEPLOY_SMOKE_RESULT"] = resultFile;
            host.Verbose($"Running the Pester suite {path} in a child PowerShell");
            var run = await RunAsync(pwsh, PesterRunner, Path.GetDirectoryName(Path.GetFullPath(path))!, timeout, variables, cancellationToken).ConfigureAwait(false);
            if (!File.Exists(resultFile))
            {
                return [Result(environment, path, SmokeKind.Pester, SmokeOutcome.Failed, run.Elapsed, $"the Pester suite did not run: {Tail(run.Output)}")];
            }

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(resultFile, cancellationToken).ConfigureAwait(false));
            var tests = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().ToList() : [json.RootElement];
            return tests.Select(test =>
            {
                var outcome = test.GetProperty("result").GetString() switch
                {
                    "Passed" => SmokeOutcome.Passed,
                    "Skipped" or "NotRun" or "Inconclusive" => SmokeOutcome.Skipped,
                    _ => SmokeOutcome.Failed,
                };
                var error = test.GetProperty("error").GetString();
                var detail = outcome != SmokeOutcome.Failed ? outcome.ToString().ToLowerInvariant() : string.IsNullOrEmpty(error) ? "failed" : error;
                return Result(environment, test.GetProperty("name").GetString() ?? path, SmokeKind.Pester, outcome,
                    TimeSpan.FromMilliseconds(test.GetProperty("ms").GetDouble()), detail);
            }).ToList();
        }
        finally
        {
            File.Delete(resultFile);
        }
    }

    /// <summary>Runs an external command line (PowerShell syntax); exit code 0 passes.</summary>
    public static async Task<SmokeResult> RunCommandAsync(
        PwshProgram pwsh, string command, string workingDirectory, EnvironmentConfig environment, TimeSpan timeout, OperationHost host, CancellationToken cancellationToken,
        string? name = null)
    {
        var variables = Variables(environment);
        variables["SKDEPLOY_SMOKE_COMMAND"] = command;
        host.Verbose($"Running '{command}' in {workingDirectory}");
        var run = await RunAsync(pwsh, CommandRunner, workingDirectory, timeout, variables, cancellationToken).ConfigureAwait(false);
        var detail = run.ExitCode switch
        {
            null => $"did not finish within {timeout.TotalSeconds:0} s and was stopped",
            0 => string.Create(CultureInfo.InvariantCulture, $"exit code 0 in {run.Elapsed.TotalSeconds:0.0} s"),
            var code => $"exit code {code}: {Tail(run.Output)}",
        };
        return Result(environment, name ?? command, SmokeKind.Command, run.ExitCode == 0 ? SmokeOutcome.Passed : SmokeOutcome.Failed, run.Elapsed, detail);
    }

    private static Dictionary<string, string> Variables(EnvironmentConfig environment) => new(StringComparer.Ordinal)
    {
        ["SKDEPLOY_ENVIRONMENT"] = environment.Name,
        ["SKDEPLOY_ENVIRONMENT_URL"] = environment.Url?.ToString() ?? string.Empty,
        ["SKDEPLOY_CONFIG"] = environment.ConfigPath,
    };

    private static async Task<(int? ExitCode, string Output, TimeSpan Elapsed)> RunAsync(
        PwshProgram pwsh, string script, string workingDirectory, TimeSpan timeout, Dictionary<string, string> variables, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var result = await ProcessRunner.RunAsync(pwsh.FileName, pwsh.Arguments(script), workingDirectory, timeout, variables, cancellationToken).ConfigureAwait(false);
            return (result.ExitCode, (result.Output + "\n" + result.Error).Trim(), started.Elapsed);
        }
        catch (TimeoutException)
        {
            return (null, string.Empty, started.Elapsed);
        }
    }

    private static string Tail(string output)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? "(no output)" : string.Join("\n", lines.TakeLast(TailLines));
    }

    private static SmokeResult Result(EnvironmentConfig environment, string name, SmokeKind kind, SmokeOutcome outcome, TimeSpan duration, string detail) => new()
    {
        Environment = environment.Name,
        Name = name,
        Kind = kind,
        Outcome = outcome,
        Duration = duration,
        Detail = Secret.Redact(detail),
    };
}
