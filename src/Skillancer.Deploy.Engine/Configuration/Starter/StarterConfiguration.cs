namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>
/// A starter skdeploy.yml that New-SkConfiguration wrote. <see cref="ConfigPath"/> binds to the
/// -ConfigPath of every other cmdlet and <see cref="Environment"/> to Get-SkEnvironment's -Name (alias
/// -Environment), so <c>New-SkConfiguration | Get-SkEnvironment</c> loads what was written.
/// </summary>
public sealed record StarterConfiguration
{
    /// <summary>The file's full path.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The folder the file is in.</summary>
    public string Folder => Path.GetDirectoryName(ConfigPath) ?? string.Empty;

    /// <summary>The file's name.</summary>
    public string File => Path.GetFileName(ConfigPath);

    /// <summary>The environments it describes.</summary>
    public required IReadOnlyList<string> Environment { get; init; }

    /// <summary>How many services each environment lists (the largest count, when they differ).</summary>
    public required int Services { get; init; }

    /// <summary>How many values are marked "# check": guesses to confirm before the first deployment.</summary>
    public required int Checks { get; init; }

    /// <summary>Where the services came from: "runbook", or the kubeconfig context they were read from.</summary>
    public required string Source { get; init; }
}
