using System.Diagnostics;

namespace Skillancer.Deploy.Sandbox.Tests.Infrastructure;

/// <summary>
/// The real aws CLI, with the sandbox's credentials file and profile and no other AWS configuration:
/// $SKDEPLOY_AWS, else aws on PATH. The build does not install it, so its tests are skipped without it.
/// </summary>
public sealed class AwsCli(string credentialsFile, Uri endpoint)
{
    /// <summary>The program, or null when there is none.</summary>
    public static string? Program { get; } = Find();

    /// <summary>Runs <c>aws --profile sandbox --endpoint-url ... --output json</c> with the arguments; fails the test unless it succeeds.</summary>
    public async Task<string> SucceedAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Program ?? throw new InvalidOperationException("the aws CLI is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Concat(["--profile", "sandbox", "--endpoint-url", endpoint.ToString().TrimEnd('/'), "--output", "json"]))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = credentialsFile;
        start.Environment["AWS_CONFIG_FILE"] = credentialsFile + ".no-config";
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_PAGER"] = string.Empty;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("aws did not start");
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
            throw new TimeoutException($"aws {string.Join(' ', arguments)} did not finish in 60 s. Output so far: {await output}{await error}");
        }

        Assert.True(process.ExitCode == 0, $"aws {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}{await output}");
        return await output;
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("SKDEPLOY_AWS") is { Length: > 0 } configured)
        {
            return configured;
        }

        string[] names = OperatingSystem.IsWindows() ? ["aws.exe", "aws.cmd"] : ["aws"];
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => names.Select(name => Path.Join(folder, name)))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>A fact that needs the aws CLI; reported as skipped, with the reason, where it is not installed.</summary>
public sealed class AwsCliFactAttribute : FactAttribute
{
    public AwsCliFactAttribute()
    {
        if (AwsCli.Program is null)
        {
            Skip = "The aws CLI is not installed: put aws on PATH or name it in $SKDEPLOY_AWS.";
        }
    }
}
