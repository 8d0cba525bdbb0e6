using Npgsql;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Migrations;

/// <summary>README's PostgreSQL privileges: run on a fresh database, they are enough for every example migration and no more than the app needs.</summary>
public class ReadmePostgresTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>
{
    [Fact]
    public async Task The_documented_grants_let_the_migration_role_run_every_example_migration_and_the_app_role_use_the_tables()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (migrator, app) = ($"skillancer_migrator_{id}", $"skillancer_app_{id}");
        var db = await cluster.CreateDatabaseAsync();
        try
        {
            var grants = ReadmeBlocks.In("PostgreSQL: the migration role", "sql").Single()
                .Replace("skillancer_migrator", migrator, StringComparison.Ordinal)
                .Replace("skillancer_app", app, StringComparison.Ordinal)
                .Replace("DATABASE skillancer ", $"DATABASE {db.Name} ", StringComparison.Ordinal);
            await db.ExecuteAsync(grants);
            var examples = Path.Join(RepositoryFiles.Root, "examples", "prisma");
            var source = new MigrationSource(DatabaseTarget.Parse(new Secret(db.Url(user: migrator), "test"), "test"), Path.Join(examples, "migrations"), Path.Join(examples, "rollback"));

            var applied = await MigrationDeployer.DeployAsync(new DeployRequest(source), Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);

            Assert.Equal(Directory.GetDirectories(Path.Join(examples, "migrations")).Select(Path.GetFileName).Order(), applied.Select(a => a.Name));
            Assert.Contains(applied, a => !a.InTransaction);   // CREATE INDEX CONCURRENTLY, outside a transaction
            Assert.Equal(migrator, await db.ScalarAsync("SELECT tableowner FROM pg_tables WHERE tablename = '_prisma_migrations'"));
            Assert.Equal(1, await AsAsync(db, app, """INSERT INTO "User" ("id", "email") VALUES ('u1', 'a@skillancer.test')"""));
            var refused = await Assert.ThrowsAsync<PostgresException>(() => AsAsync(db, app, "DROP TABLE \"Proposal\""));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        finally
        {
            await db.DisposeAsync();
            await using var admin = new NpgsqlConnection(cluster.AdminConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {migrator}; DROP ROLE IF EXISTS {app}", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task<int> AsAsync(TestDatabase db, string user, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = user, Password = null };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
