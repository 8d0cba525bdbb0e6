using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Release.Git;

/// <summary>
/// Runs the git CLI, so that users' credential helpers and SSH agents just work. Arguments are
/// arrays, every call has a timeout, stderr becomes part of the error, and -Verbose shows each
/// command. Git never prompts (GIT_TERMINAL_PROMPT=0) and read commands never take optional
/// locks (GIT_OPTIONAL_LOCKS=0), so looking at a repository leaves it byte-for-byte untouched.
/// </summary>
internal sealed class GitCli
{
    /// <summary>How long a command that stays on this machine may take.</summary>
    public static readonly TimeSpan LocalTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a command that talks to a remote may take.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromMinutes(3);

    private static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_OPTIONAL_LOCKS"] = "0",
        ["LC_ALL"] = "C",
    };

    private readonly string _directory;
    private readonly OperationHost _host;
    private readonly CancellationToken _cancellationToken;

    public GitCli(string directory, OperationHost host, CancellationToken cancellationToken)
    {
        _directory = directory;
        _host = host;
        _cancellationToken = cancellationToken;
    }

    public string Directory => _directory;

    /// <summary>Runs git and returns its standard output; fails with <c>GitCommandFailed</c> on a non-zero exit.</summary>
    public async Task<string> RunAsync(IReadOnlyList<string> arguments, TimeSpan? timeout = null)
    {
        var result = await TryRunAsync(arguments, timeout).ConfigureAwait(false);
        return result.Succeeded ? result.Output : throw Failed(arguments, result);
    }

    /// <summary>Runs git and returns whatever happened, for commands whose exit code is an answer.</summary>
    public async Task<ProcessResult> TryRunAsync(IReadOnlyList<string> arguments, TimeSpan? timeout = null)
    {
        _host.Verbose($"git {Display(arguments)}");
        try
        {
            return await ProcessRunner.RunAsync("git", arguments, _directory, timeout ?? LocalTimeout, Environment, _cancellationToken).ConfigureAwait(false);
        }
        catch (ProgramNotFoundException e)
        {
            throw new DeployException(ReleaseErrors.GitNotInstalled, DeployErrorCategory.NotInstalled,
                "git is not installed or not on PATH. Install git (for example 'apt-get install git' or 'winget install Git.Git') and run the command again.",
                "git", e);
        }
        catch (TimeoutException e)
        {
            throw new DeployException(ReleaseErrors.GitTimedOut, DeployErrorCategory.OperationTimeout,
                $"'git {Display(arguments)}' did not finish within {(timeout ?? LocalTimeout).TotalSeconds:0} s in {_directory}. " +
                "Check the network and the remote, then run the command again.", _directory, e);
        }
    }

    public static DeployException Failed(IReadOnlyList<string> arguments, ProcessResult result) =>
        new(ReleaseErrors.GitCommandFailed, DeployErrorCategory.InvalidOperation,
            Sentences.End($"'git {Display(arguments)}' failed (exit code {result.ExitCode}): {FirstLines(result.Error.Trim().Length > 0 ? result.Error : result.Output)}"),
            arguments.Count > 0 ? arguments[0] : null);

    public static string FirstLines(string text, int count = 6)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(git printed nothing)" : string.Join(" ", lines.Take(count));
    }

    private static string Display(IReadOnlyList<string> arguments) =>
        string.Join(' ', arguments.Select(a => a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"') ? $"'{a.Replace("'", "''", StringComparison.Ordinal)}'" : a));
}
