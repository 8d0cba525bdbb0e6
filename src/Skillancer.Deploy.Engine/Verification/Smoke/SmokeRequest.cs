using Skillancer.Deploy.Engine.Configuration;

namespace Skillancer.Deploy.Engine.Verification.Smoke;

/// <summary>
/// Which smoke checks to run against an environment: configured HTTP checks, a Pester suite, an
/// external command, and how many may run at once.
/// </summary>
public sealed record SmokeRequest(EnvironmentConfig Environment, IReadOnlyList<SmokeCheck> Checks)
{
    /// <summary>A Pester suite (folder or file) to run, if any.</summary>
    public string? PesterPath { get; init; }

    /// <summary>The Pester module (name or path to its manifest) the child PowerShell imports.</summary>
    public string? PesterModule { get; init; }

    /// <summary>The configured smoke suites to run: command lines, each a result under its name.</summary>
    public IReadOnlyList<SmokeSuite> Suites { get; init; } = [];

    /// <summary>An external command line to run, if any.</summary>
    public string? Command { get; init; }

    /// <summary>Where the command runs.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>How to start a child PowerShell (for -Path, -Command and the smoke suites).</summary>
    public PwshProgram? Pwsh { get; init; }

    /// <summary>How many checks run at once.</summary>
    public int ThrottleLimit { get; init; } = 5;

    /// <summary>How long the Pester suite or the command may run.</summary>
    public TimeSpan ProcessTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Accept any TLS certificate from the environment.</summary>
    public bool SkipCertificateCheck { get; init; }
}
