using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>The whole of one <c>skdeploy.yml</c>: its environments and its deployment schedule.</summary>
public sealed record DeployConfig(
    string Path,
    IReadOnlyList<EnvironmentConfig> Environments,
    ScheduleSettings Schedule,
    IReadOnlyList<ConfigWarning> Warnings)
{
    /// <summary>The environment called <paramref name="name"/> (case-insensitive), or <c>EnvironmentNotFound</c>.</summary>
    public EnvironmentConfig Environment(string name) =>
        Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new DeployException(
            ConfigErrors.EnvironmentNotFound,
            DeployErrorCategory.ObjectNotFound,
            $"There is no environment '{name}' in {Path}. Known environments: {string.Join(", ", Environments.Select(e => e.Name))}. " +
            "Check the name (Tab completes it) or add the environment to the configuration.",
            name);
}
