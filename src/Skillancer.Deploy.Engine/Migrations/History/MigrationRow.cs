namespace Skillancer.Deploy.Engine.Migrations.History;

/// <summary>One row of Prisma's _prisma_migrations table.</summary>
public sealed record MigrationRow(
    string Id,
    string Checksum,
    DateTimeOffset? FinishedAt,
    string MigrationName,
    string? Logs,
    DateTimeOffset? RolledBackAt,
    DateTimeOffset StartedAt,
    int AppliedStepsCount)
{
    /// <summary>Finished and not rolled back: the migration counts as applied.</summary>
    public bool IsApplied => FinishedAt is not null && RolledBackAt is null;

    /// <summary>Neither finished nor rolled back: the migration failed and blocks later ones.</summary>
    public bool IsFailed => FinishedAt is null && RolledBackAt is null;
}
