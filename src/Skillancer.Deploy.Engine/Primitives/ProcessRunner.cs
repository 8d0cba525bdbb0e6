using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// Runs a program with an argument array (never a shell string), a timeout and cancellation,
/// and captures its output. A program that cannot be started is reported as not installed.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="program"/> to completion, or kills it on timeout or cancellation.</summary>
    /// <exception cref="ProgramNotFoundException">The program is not installed or not on PATH.</exception>
    /// <exception cref="TimeoutException">The program did not finish within <paramref name="timeout"/>.</exception>
    public static async Task<ProcessResult> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ProgramNotFoundException(program, e);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{program} did not finish within {timeout.TotalSeconds:0} s.");
        }

        return new ProcessResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}

/// <summary>What a finished program left behind.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    /// <summary>True when the program exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;
}

/// <summary>A program could not be started because it is not installed or not on PATH.</summary>
public sealed class ProgramNotFoundException : Exception
{
    /// <summary>Creates the exception for <paramref name="program"/>.</summary>
    public ProgramNotFoundException(string program, Exception inner)
        : base($"'{program}' could not be started: {inner.Message}", inner)
    {
        Program = program;
    }

    /// <summary>The program that could not be started.</summary>
    public string Program { get; }
}
