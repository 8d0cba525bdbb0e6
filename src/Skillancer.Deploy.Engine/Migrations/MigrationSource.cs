using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>Which database and which migrations folder a migration cmdlet works on.</summary>
/// <param name="Database">The database and schema.</param>
/// <param name="Folder">The migrations folder.</param>
/// <param name="RollbackFolder">The folder of hand-written rollback scripts, if any.</param>
/// <param name="LargeTables">Tables the configuration marks large; changes to them are flagged.</param>
/// <param name="RequireSafety">Refuse Error-level safety findings (production).</param>
/// <param name="Environment">The skdeploy.yml environment whose database this is; null for -ConnectionString or $env:DATABASE_URL.</param>
public sealed record MigrationSource(
    DatabaseTarget Database,
    string Folder,
    string? RollbackFolder = null,
    IReadOnlyCollection<string>? LargeTables = null,
    bool RequireSafety = false,
    string? Environment = null)
{
    /// <summary>
    /// The database and migrations of a configured environment (its database section: connectionStringEnv, migrations,
    /// rollbackScripts, largeTables); DatabaseNotConfigured or SecretNotSet otherwise. A migrations folder that is not
    /// configured is ./prisma/migrations under <paramref name="currentDirectory"/>.
    /// </summary>
    public static MigrationSource Of(EnvironmentConfig environment, string currentDirectory) =>
        new(
            DatabaseLocator.Locate(null, environment),
            Migrations.Folder.MigrationFolder.Locate(null, environment.Database, currentDirectory),
            environment.Database?.RollbackScripts,
            environment.Database?.LargeTables,
            environment.RequireApproval,
            environment.Name);

    /// <summary>
    /// Refuses (TargetMismatch) a migration object read from another environment or database than this one,
    /// before anything is changed: <c>Get-SkMigrationStatus staging | Undo-SkMigration production</c>, or
    /// $env:DATABASE_URL pointing elsewhere between the two commands.
    /// </summary>
    public void RequireOrigin(MigrationStatus? handed)
    {
        if (handed is null)
        {
            return;
        }

        if (handed.Environment is { } from && !string.Equals(from, Environment, StringComparison.OrdinalIgnoreCase))
        {
            throw TargetMismatch.Refuse(
                $"The migration {handed.Name} was read from environment '{from}' ({handed.Database}), but this command works on " +
                $"{(Environment is null ? "the database of $env:DATABASE_URL or -ConnectionString" : $"environment '{Environment}'")} ({Database.Display}). " +
                $"Leave out -Environment so that the migration's own environment is used, or read the migration from the environment you mean (Get-SkMigrationStatus <environment>).",
                handed.Name);
        }

        if (!string.Equals(handed.Database, Database.Display, StringComparison.Ordinal))
        {
            throw TargetMismatch.Refuse(
                $"The migration {handed.Name} was read from {handed.Database}, but this command would change {Database.Display}. " +
                "Check where the connection string points ($env:DATABASE_URL or the environment's database.connectionStringEnv), " +
                "then read the migration again from the database you mean.",
                handed.Name);
        }
    }
}
