namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>The error ids of the migration cmdlets, one per failure a user can act on.</summary>
public static class MigrationErrors
{
    /// <summary>The connection string is neither a postgresql:// URL nor Npgsql keywords.</summary>
    public const string ConnectionStringInvalid = "ConnectionStringInvalid";
    /// <summary>The server refused the user name or password.</summary>
    public const string DatabaseAuthenticationFailed = "DatabaseAuthenticationFailed";
    /// <summary>The database does not exist on the server.</summary>
    public const string DatabaseNotFound = "DatabaseNotFound";
    /// <summary>The server could not be reached.</summary>
    public const string DatabaseUnreachable = "DatabaseUnreachable";
    /// <summary>The environment has no database section.</summary>
    public const string DatabaseNotConfigured = "DatabaseNotConfigured";
    /// <summary>The migrations folder does not exist.</summary>
    public const string MigrationsFolderNotFound = "MigrationsFolderNotFound";
    /// <summary>migration_lock.toml names another provider than postgresql.</summary>
    public const string MigrationProviderMismatch = "MigrationProviderMismatch";
    /// <summary>The migrations table is missing and the schema already holds tables (Prisma's P3005).</summary>
    public const string BaselineRequired = "BaselineRequired";
    /// <summary>A migration failed earlier and blocks every later one (Prisma's P3009).</summary>
    public const string FailedMigrationBlocks = "FailedMigrationBlocks";
    /// <summary>An applied migration was edited afterwards.</summary>
    public const string ModifiedMigrationBlocks = "ModifiedMigrationBlocks";
    /// <summary>A migration's script failed now.</summary>
    public const string MigrationFailed = "MigrationFailed";
    /// <summary>Another run held the migration lock past the timeout.</summary>
    public const string MigrationLockTimeout = "MigrationLockTimeout";
    /// <summary>A named migration is not in the folder (or not in the database).</summary>
    public const string MigrationNotFound = "MigrationNotFound";
    /// <summary>-RolledBack was asked for a migration that is not failed (Prisma's P3012).</summary>
    public const string MigrationNotFailed = "MigrationNotFailed";
    /// <summary>-Applied was asked for a migration that is already applied (Prisma's P3008).</summary>
    public const string MigrationAlreadyApplied = "MigrationAlreadyApplied";
    /// <summary>-Name of Undo-SkMigration names a migration that is not applied.</summary>
    public const string MigrationNotApplied = "MigrationNotApplied";
    /// <summary>There is no rollback script for the migration.</summary>
    public const string RollbackScriptNotFound = "RollbackScriptNotFound";
    /// <summary>The rollback script failed; nothing was changed.</summary>
    public const string RollbackFailed = "RollbackFailed";
    /// <summary>-DryRun was asked for a script that cannot run in a transaction.</summary>
    public const string DryRunNotPossible = "DryRunNotPossible";
    /// <summary>The safety check found an Error-level risk and -AcknowledgeRisk was not given.</summary>
    public const string MigrationRiskNotAcknowledged = "MigrationRiskNotAcknowledged";
    /// <summary>Test-SkMigrationSafety found an Error-level risk: the gate that blocks a deploy failed.</summary>
    public const string MigrationSafetyFailed = "MigrationSafetyFailed";
    /// <summary>A table named with Get-SkDatabaseSchema -Table does not exist in the schema.</summary>
    public const string TableNotFound = "TableNotFound";
    /// <summary>A path given to the safety check does not exist.</summary>
    public const string SqlPathNotFound = "SqlPathNotFound";
}
