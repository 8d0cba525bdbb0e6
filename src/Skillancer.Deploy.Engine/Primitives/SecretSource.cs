namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>Resolves secrets that the configuration names by environment variable.</summary>
public static class SecretSource
{
    /// <summary>
    /// Reads the environment variable that a <c>...Env</c> key names, as a secret (scrubbed from every output from now
    /// on). Fails with <c>SecretNotSet</c>, naming the variable and the key, when it is not set.
    /// </summary>
    public static Secret FromEnvironment(string variableName, string configKey) =>
        new(ValueFromEnvironment(variableName, configKey), $"environment variable {variableName}");

    /// <summary>
    /// Reads a variable that a <c>...Env</c> key names but that is no secret (a user name): the same
    /// <c>SecretNotSet</c> when it is missing, and never scrubbed from output, so that messages keep telling the truth.
    /// </summary>
    public static string ValueFromEnvironment(string variableName, string configKey)
    {
        var value = Environment.GetEnvironmentVariable(variableName);
        if (string.IsNullOrEmpty(value))
        {
            throw new DeployException(
                "SecretNotSet",
                DeployErrorCategory.NotInstalled,
                $"The environment variable '{variableName}' is not set. The configuration key '{configKey}' names it. " +
                $"Set it in this session (for example: $env:{variableName} = '<value>') or in your secret store, then run the command again.",
                variableName);
        }

        return value;
    }
}
