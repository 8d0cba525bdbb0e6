using System.Diagnostics;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>The real npm, the reference our package.json writer must match byte for byte.</summary>
public static class NpmCli
{
    public static string Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["npm_config_update_notifier"] = "false";
        start.Environment["npm_config_fund"] = "false";
        start.Environment["npm_config_audit"] = "false";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("npm is not installed; build.ps1 -Task Test installs it. The interop tests compare our output with npm's.", e);
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm {string.Join(' ', arguments)} failed in {directory}: {error.Result}");
            }

            return output.Trim();
        }
    }
}
