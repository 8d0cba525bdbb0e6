using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>
/// Finds the configuration file: an explicit path wins, then <c>$env:SKDEPLOY_CONFIG</c>, then the
/// nearest <c>skdeploy.yml</c> going up from the current folder, the way git finds <c>.git</c>.
/// </summary>
public static class ConfigLocator
{
    /// <summary>The file name looked for in the current folder and its parents.</summary>
    public const string FileName = "skdeploy.yml";

    /// <summary>The environment variable that names the configuration file.</summary>
    public const string EnvironmentVariable = "SKDEPLOY_CONFIG";

    /// <summary>Returns the full path of the configuration to use, or fails with <c>ConfigNotFound</c>.</summary>
    public static string Locate(string? explicitPath, string currentDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Existing(Path.GetFullPath(explicitPath, currentDirectory), "-ConfigPath");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Existing(Path.GetFullPath(fromEnvironment, currentDirectory), $"$env:{EnvironmentVariable}");
        }

        return FindUpwards(currentDirectory) ?? throw new DeployException(
            ConfigErrors.NotFound,
            DeployErrorCategory.ObjectNotFound,
            $"No {FileName} was found in '{currentDirectory}' or any folder above it. " +
            $"Write a starter one with New-SkConfiguration (add -FromCluster to read your cluster's deployments), " +
            $"or pass -ConfigPath, or set $env:{EnvironmentVariable}.{ShippedExample.Sentence}",
            currentDirectory);
    }

    /// <summary>The nearest <c>skdeploy.yml</c> in <paramref name="directory"/> or above, or null.</summary>
    public static string? FindUpwards(string directory)
    {
        for (var folder = new DirectoryInfo(directory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Join(folder.FullName, FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Existing(string path, string source) =>
        File.Exists(path)
            ? path
            : throw new DeployException(
                ConfigErrors.NotFound,
                DeployErrorCategory.ObjectNotFound,
                $"The configuration file '{path}' (from {source}) does not exist. Check the path, or write a starter one there with New-SkConfiguration -Path '{path}'.{ShippedExample.Sentence}",
                path);
}
