using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations.Database;

/// <summary>
/// The database a migration command works on: the connection string given (-ConnectionString), else
/// the variable the environment's database.connectionStringEnv names, else $env:DATABASE_URL (Prisma's
/// convention). Commands and tab completion ask the same question here.
/// </summary>
public static class DatabaseLocator
{
    /// <summary>The target, or SecretNotSet, DatabaseNotConfigured or ConnectionStringInvalid.</summary>
    public static DatabaseTarget Locate(Secret? givenConnectionString, EnvironmentConfig? environment)
    {
        if (givenConnectionString is not null)
        {
            return DatabaseTarget.Parse(givenConnectionString, "-ConnectionString");
        }

        if (environment is not null)
        {
            var database = environment.Database ?? throw NotConfigured(environment);
            var key = $"environments.{environment.Name}.database.connectionStringEnv";
            return DatabaseTarget.Parse(SecretSource.FromEnvironment(database.ConnectionStringEnv, key), $"$env:{database.ConnectionStringEnv}");
        }

        return DatabaseTarget.Parse(SecretSource.FromEnvironment("DATABASE_URL", "DATABASE_URL (Prisma's default; or pass -Environment or -ConnectionString)"), "$env:DATABASE_URL");
    }

    private static DeployException NotConfigured(EnvironmentConfig environment) =>
        new(MigrationErrors.DatabaseNotConfigured, DeployErrorCategory.ObjectNotFound,
            $"Environment '{environment.Name}' has no database section in {environment.ConfigPath}. " +
            "Add database.connectionStringEnv (and database.migrations), or pass -ConnectionString and -Path.", environment.Name);
}
