using System.Diagnostics;

namespace Skillancer.Deploy.Sandbox.Database;

/// <summary>
/// Finds PostgreSQL's server programs (initdb, pg_ctl) and runs them; as root on Linux they run as
/// the 'postgres' user, since the server refuses to run as root.
/// </summary>
internal sealed class PostgresPrograms
{
    private PostgresPrograms(string binDirectory) => BinDirectory = binDirectory;

    public string BinDirectory { get; }

    public static bool RunsAsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    /// <summary>The folder that holds initdb and pg_ctl, or null when PostgreSQL is not installed.</summary>
    public static PostgresPrograms? Find()
    {
        var exe = OperatingSystem.IsWindows() ? "initdb.exe" : "initdb";
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Installed("/usr/lib/postgresql"))
            .Concat(Installed(Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "PostgreSQL")));
        var bin = candidates.FirstOrDefault(dir => File.Exists(Path.Join(dir, exe)));
        return bin is null ? null : new PostgresPrograms(bin);
    }

    /// <summary>How to install PostgreSQL on this kind of machine.</summary>
    public static string InstallHint => OperatingSystem.IsWindows()
        ? "winget install PostgreSQL.PostgreSQL"
        : OperatingSystem.IsMacOS() ? "brew install postgresql" : "sudo apt-get install postgresql (Debian, Ubuntu)";

    public async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Join(BinDirectory, OperatingSystem.IsWindows() ? program + ".exe" : program);
        var start = RunsAsRoot ? new ProcessStartInfo("runuser") : new ProcessStartInfo(path);
        if (RunsAsRoot)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", path })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed (exit code {process.ExitCode}): {(await error).Trim()}");
        }
    }

    /// <summary>Gives the 'postgres' user a folder the root-run sandbox created.</summary>
    public static async Task HandOverAsync(string directory, CancellationToken cancellationToken)
    {
        if (!RunsAsRoot)
        {
            return;
        }

        using var chown = Process.Start(new ProcessStartInfo("chown", ["-R", "postgres:postgres", directory]) { UseShellExecute = false })!;
        await chown.WaitForExitAsync(cancellationToken);
    }

    private static IEnumerable<string> Installed(string root) =>
        Directory.Exists(root)
            ? Directory.GetDirectories(root).OrderByDescending(d => int.TryParse(Path.GetFileName(d).Split('.')[0], out var v) ? v : 0).Select(d => Path.Join(d, "bin"))
            : [];
}
