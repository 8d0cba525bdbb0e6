using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>The error ids of configuration failures, each one testable on its own.</summary>
public static class ConfigErrors
{
    /// <summary>No configuration file could be found.</summary>
    public const string NotFound = "ConfigNotFound";
    /// <summary>The file is not well-formed YAML.</summary>
    public const string Syntax = "ConfigSyntaxError";
    /// <summary>A key is missing or has a value of the wrong shape.</summary>
    public const string Invalid = "ConfigInvalid";
    /// <summary>A service's tier is not one of shared, backend, gateway, frontend.</summary>
    public const string InvalidTier = "ConfigInvalid.Tier";
    /// <summary>A URL is not an absolute http or https URL.</summary>
    public const string InvalidUrl = "ConfigInvalid.Url";
    /// <summary>A duration cannot be parsed or is not positive.</summary>
    public const string InvalidDuration = "ConfigInvalid.Duration";
    /// <summary>An environment was asked for that the configuration does not define.</summary>
    public const string EnvironmentNotFound = "EnvironmentNotFound";
    /// <summary>A service was asked for that the environment does not define.</summary>
    public const string ServiceNotFound = "ServiceNotFound";

    internal static DeployException At(ConfigLocation location, string errorId, string problem, string expected) =>
        new(errorId, DeployErrorCategory.InvalidData,
            Sentences.Join($"{location}: {problem}", $"Expected {expected}.", $"Fix the key '{location.Key}' in {location.File} and run the command again."),
            location);
}
