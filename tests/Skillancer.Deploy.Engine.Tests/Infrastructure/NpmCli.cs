namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>The real npm, the reference our package.json writer must match byte for byte.</summary>
public static class NpmCli
{
    private static readonly Dictionary<string, string> Quiet = new()
    {
        ["npm_config_update_notifier"] = "false",
        ["npm_config_fund"] = "false",
        ["npm_config_audit"] = "false",
    };

    public static string Run(string directory, params string[] arguments) =>
        ExternalProgram.Run(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", directory, arguments, Quiet);
}
