namespace Skillancer.Deploy.Engine.Preflight;

/// <summary>One item of the pre-deployment checklist, as its system of record answered it.</summary>
public sealed record PreflightResult
{
    /// <summary>The environment checked.</summary>
    public required string Environment { get; init; }

    /// <summary>The version about to be deployed.</summary>
    public required string Version { get; init; }

    /// <summary>The item.</summary>
    public required PreflightItem Item { get; init; }

    /// <summary>Passed, Failed, Warning, Attested, NotConfigured or Skipped.</summary>
    public required PreflightStatus Status { get; init; }

    /// <summary>What was seen, and on failure what to do.</summary>
    public required string Detail { get; init; }

    /// <summary>A link, an id or a count that backs the answer; null when there is none.</summary>
    public string? Evidence { get; init; }

    /// <summary>How long the item took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>True unless the item Failed: only a failed item stops the deployment.</summary>
    public bool Ok => Status != PreflightStatus.Failed;

    /// <summary>"MigrationsTested Failed: ...".</summary>
    public override string ToString() => $"{Item} {Status}: {Detail}";
}
