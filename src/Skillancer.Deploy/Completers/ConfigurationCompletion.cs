using System.Collections;
using System.Management.Automation;
using Skillancer.Deploy.Engine.Configuration;

namespace Skillancer.Deploy.Completers;

/// <summary>Shared work of the completers: find the configuration the command would use and offer matching names.</summary>
internal static class ConfigurationCompletion
{
    public static DeployConfig? TryLoad(IDictionary fakeBoundParameters)
    {
        try
        {
            var current = CurrentFileSystemLocation();
            var explicitPath = fakeBoundParameters["ConfigPath"] as string;
            return ConfigLoader.Load(ConfigLocator.Locate(explicitPath, current));
        }
        catch (Exception)
        {
            // Completion must never throw at the user; no configuration simply means no suggestions.
            return null;
        }
    }

    // The runspace is busy running the completion itself, so its location is read through a nested pipeline.
    internal static string CurrentFileSystemLocation()
    {
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        var location = shell.AddCommand("Get-Location").AddParameter("PSProvider", "FileSystem").Invoke<PathInfo>().FirstOrDefault();
        return location?.ProviderPath ?? Environment.CurrentDirectory;
    }

    public static IEnumerable<CompletionResult> Offer(IEnumerable<(string Name, string Tooltip)> candidates, string wordToComplete)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return candidates
            .Where(c => c.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(Quote(c.Name), c.Name, CompletionResultType.ParameterValue, c.Tooltip));
    }

    private static string Quote(string name) => name.Any(ch => char.IsWhiteSpace(ch) || ch is '$' or '\'' or '"' or '`') ? $"'{name.Replace("'", "''", StringComparison.Ordinal)}'" : name;
}
