using System.Collections;
using System.Management.Automation;
using Skillancer.Deploy.Engine.Configuration;

namespace Skillancer.Deploy.Completers;

/// <summary>Shared work of the migration completers: the environment and the paths already typed on the command line.</summary>
internal static class MigrationCompletion
{
    /// <summary>
    /// The environment named by -Environment, or null when none is typed (the command's defaults then apply).
    /// False when one is typed but cannot be found: the command would fail, so nothing is offered.
    /// </summary>
    public static bool TryEnvironment(IDictionary fakeBoundParameters, out EnvironmentConfig? environment)
    {
        environment = null;
        if (fakeBoundParameters["Environment"] is not string name)
        {
            return true;
        }

        environment = ConfigurationCompletion.TryLoad(fakeBoundParameters)?.Environments
            .FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
        return environment is not null;
    }

    /// <summary>A path as typed (relative, ~, a PowerShell drive), as the file system path the command would use.</summary>
    public static string ProviderPath(string path, string currentDirectory)
    {
        if (!path.StartsWith('~') && (Path.IsPathFullyQualified(path) || !path.Contains(':', StringComparison.Ordinal)))
        {
            return Path.GetFullPath(path, currentDirectory);
        }

        try
        {
            // The runspace is busy running the completion itself, so the path is resolved through a nested pipeline.
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            shell.AddScript("$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])").AddArgument(path);
            if (shell.Invoke<string>().FirstOrDefault() is { Length: > 0 } resolved && !shell.HadErrors)
            {
                return resolved;
            }
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException)
        {
            // A restricted session cannot resolve it this way; fall back to the file system's rules.
        }

        return Path.GetFullPath(path, currentDirectory);
    }
}
