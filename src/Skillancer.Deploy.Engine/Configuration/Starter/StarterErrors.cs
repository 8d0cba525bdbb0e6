namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>The error ids of New-SkConfiguration, each one testable on its own.</summary>
public static class StarterErrors
{
    /// <summary>The file exists and -Force was not given.</summary>
    public const string FileExists = "FileExists";
    /// <summary>An environment name cannot be a key of skdeploy.yml, or -Namespace names an environment not asked for.</summary>
    public const string InvalidEnvironmentName = "InvalidEnvironmentName";
    /// <summary>-FromCluster found no namespace for an environment, or -Namespace names one the cluster does not have.</summary>
    public const string NamespaceNotFound = "NamespaceNotFound";
    /// <summary>-FromCluster found no deployment in an environment's namespace.</summary>
    public const string NoDeploymentsFound = "NoDeploymentsFound";
    /// <summary>The file could not be written.</summary>
    public const string NotWritten = "ConfigNotWritten";
}
