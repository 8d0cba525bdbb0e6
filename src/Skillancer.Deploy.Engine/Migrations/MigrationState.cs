namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>Where a migration stands, as `prisma migrate status` sees it — and beyond.</summary>
public enum MigrationState
{
    /// <summary>Applied, and the file still matches what was applied.</summary>
    Applied,
    /// <summary>In the folder, never applied: the next deploy applies it.</summary>
    Pending,
    /// <summary>Started and failed: it blocks every later deploy until resolved.</summary>
    Failed,
    /// <summary>Marked rolled back: the next deploy applies it again.</summary>
    RolledBack,
    /// <summary>Applied, then its file was edited (Prisma does not notice this).</summary>
    Modified,
    /// <summary>Recorded in the database but not in the folder.</summary>
    MissingLocally,
}
