namespace Skillancer.Deploy.Engine.Verification.Smoke;

/// <summary>How one smoke check ended.</summary>
public enum SmokeOutcome
{
    /// <summary>Everything it expected held.</summary>
    Passed,

    /// <summary>Something it expected did not hold; Detail says what.</summary>
    Failed,

    /// <summary>A Pester test the suite skipped.</summary>
    Skipped,
}

/// <summary>What kind of check a smoke result comes from.</summary>
public enum SmokeKind
{
    /// <summary>A request from the environment's smoke: list.</summary>
    Http,

    /// <summary>A test of a Pester smoke suite (-Path).</summary>
    Pester,

    /// <summary>An external command (-Command), judged by its exit code.</summary>
    Command,
}

/// <summary>One smoke check's result.</summary>
public sealed record SmokeResult
{
    /// <summary>The environment checked.</summary>
    public required string Environment { get; init; }

    /// <summary>The check's name, e.g. "Homepage loads".</summary>
    public required string Name { get; init; }

    /// <summary>Where the check comes from.</summary>
    public required SmokeKind Kind { get; init; }

    /// <summary>Passed, Failed or Skipped.</summary>
    public required SmokeOutcome Outcome { get; init; }

    /// <summary>True when the check passed.</summary>
    public bool Passed => Outcome == SmokeOutcome.Passed;

    /// <summary>How long the check took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>What was seen: the status and time, or what did not hold.</summary>
    public required string Detail { get; init; }
}
