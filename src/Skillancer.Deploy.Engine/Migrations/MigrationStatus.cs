using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>One migration's state, from the folder and the _prisma_migrations table.</summary>
public sealed record MigrationStatus
 : IRecordedResult{
    /// <summary>The migration's folder name, e.g. 20261128090000_add_jobs.</summary>
    public required string Name { get; init; }

    /// <summary>Where it stands.</summary>
    public required MigrationState State { get; init; }

    /// <summary>When its latest run started, in UTC.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When its latest run finished, in UTC.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>How long its latest run took.</summary>
    public TimeSpan? Duration => StartedAt is not null && FinishedAt is not null ? FinishedAt - StartedAt : null;

    /// <summary>
    /// The checksum recorded in _prisma_migrations for its latest run (what ran); for a migration that
    /// never ran, the file's.
    /// </summary>
    public required string Checksum { get; init; }

    /// <summary>The checksum of its migration.sql as the file is now; null when the file is missing locally.</summary>
    public string? FileChecksum { get; init; }

    /// <summary>The full logs its latest run recorded: for a failed run, the database error (Prisma adds a backtrace).</summary>
    public string? Logs { get; init; }

    /// <summary>The database error in <see cref="Logs"/>, e.g. <c>42P01 at line 3: ERROR: relation "Job" does not exist</c>.</summary>
    public string? Error => History.FailureLog.Parse(Logs)?.ToString();

    /// <summary>The migration.sql file, or null when it is missing locally.</summary>
    public string? Path { get; init; }

    /// <summary>
    /// The environment (from skdeploy.yml) whose database this is; null when the database came from
    /// -ConnectionString or $env:DATABASE_URL. Piped on, it binds -Environment, so the next cmdlet works on the same database.
    /// </summary>
    public string? Environment { get; init; }

    /// <summary>The database, shown without its password.</summary>
    public required string Database { get; init; }

    /// <inheritdoc/>
    public RecordOutcome ToRecordOutcome() => RecordOutcome.OfSteps([
        new RecordStep { Name = $"migration {Name}", Status = State.ToString(), Detail = $"on {Database}" },
    ]);
}

/// <summary>The whole picture in one object: Get-SkMigrationStatus -Summary.</summary>
public sealed record MigrationSummary(
    bool UpToDate, int Applied, int Pending, int Failed, int Modified, int MissingLocally, int RolledBack, string Database, string? Environment);
