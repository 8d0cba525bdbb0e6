using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>A migration Invoke-SkMigration applied (or, with -DryRun, applied and rolled back).</summary>
public sealed record AppliedMigration
 : IRecordedResult{
    /// <summary>The migration's folder name.</summary>
    public required string Name { get; init; }

    /// <summary>How long its script took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>How many statements it ran.</summary>
    public required int Statements { get; init; }

    /// <summary>Whether it ran in a transaction of its own.</summary>
    public required bool InTransaction { get; init; }

    /// <summary>True for a -DryRun, whose changes were rolled back.</summary>
    public required bool DryRun { get; init; }

    /// <summary>
    /// The environment (from skdeploy.yml) whose database this is; null when the database came from
    /// -ConnectionString or $env:DATABASE_URL. 
    /// </summary>
    public string? Environment { get; init; }

    /// <summary>The database, shown without its password.</summary>
    public required string Database { get; init; }

    /// <inheritdoc/>
    public RecordOutcome ToRecordOutcome() => RecordOutcome.OfSteps([
        new RecordStep { Name = $"migrate {Name}", Status = DryRun ? "DryRun" : "Applied", Duration = Duration, Detail = $"{Statements} statement(s){(InTransaction ? " in one transaction" : "")} on {Database}" },
    ]);
}
