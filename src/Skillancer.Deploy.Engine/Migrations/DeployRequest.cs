namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>What Invoke-SkMigration was asked to do.</summary>
/// <param name="Source">The database and the folder.</param>
/// <param name="To">Stop after this migration; null for all.</param>
/// <param name="DryRun">Apply everything in one transaction and roll it back.</param>
/// <param name="AllowModified">Go on although an applied migration's file was edited.</param>
/// <param name="AcknowledgeRisk">Go on although the safety check found Error-level risks.</param>
/// <param name="LockTimeout">How long to wait for another run's migration lock.</param>
public sealed record DeployRequest(
    MigrationSource Source,
    string? To = null,
    bool DryRun = false,
    bool AllowModified = false,
    bool AcknowledgeRisk = false,
    TimeSpan? LockTimeout = null)
{
    /// <summary>Prisma's own lock timeout is 10 s.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);
}
