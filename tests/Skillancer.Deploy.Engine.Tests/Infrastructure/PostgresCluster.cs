using Npgsql;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>
/// The throwaway PostgreSQL cluster that build.ps1 starts for the test run (its connection string
/// is in SKDEPLOY_TEST_POSTGRES). Each test asks for a database of its own.
/// </summary>
public sealed class PostgresCluster
{
    public const string Variable = "SKDEPLOY_TEST_POSTGRES";

    public PostgresCluster()
    {
        AdminConnectionString = Environment.GetEnvironmentVariable(Variable)
            ?? throw new InvalidOperationException(
                $"{Variable} is not set. Run the tests with 'dotnet pwsh ./build.ps1 -Task Test', which starts a throwaway PostgreSQL cluster.");
    }

    public string AdminConnectionString { get; }

    /// <summary>Creates an empty database and returns its connection string; it is dropped when disposed.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = false };
        return new TestDatabase(name, builder.ConnectionString, AdminConnectionString);
    }

    /// <summary>
    /// A role that must give its password (scram-sha-256) over TCP, for tests of a wrong password.
    /// The throwaway cluster trusts everyone else; pg_hba.conf gets one rule in front, once.
    /// </summary>
    public async Task<(string User, string Password)> PasswordUserAsync()
    {
        const string user = "skdeploy_pw_user";
        const string password = "the-right-password-7741";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using (var role = new NpgsqlCommand($"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{user}') THEN CREATE ROLE {user} LOGIN PASSWORD '{password}'; END IF; END $$", connection))
        {
            await role.ExecuteNonQueryAsync();
        }

        await using var show = new NpgsqlCommand("SHOW hba_file", connection);
        var hba = (string)(await show.ExecuteScalarAsync())!;
        var rule = $"host all {user} 127.0.0.1/32 scram-sha-256";
        var lines = await File.ReadAllLinesAsync(hba);
        if (!lines.Contains(rule))
        {
            await File.WriteAllLinesAsync(hba, lines.Prepend(rule));
            await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
            await reload.ExecuteScalarAsync();
        }

        return (user, password);
    }
}

/// <summary>A database that exists for one test.</summary>
public sealed class TestDatabase(string name, string connectionString, string adminConnectionString) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = connectionString;

    /// <summary>The database as a Prisma-style URL, optionally with ?schema=.</summary>
    public string Url(string? schema = null, string user = "postgres", string? password = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        var credentials = password is null ? user : $"{user}:{Uri.EscapeDataString(password)}";
        return $"postgresql://{credentials}@{builder.Host}:{builder.Port}/{Name}{(schema is null ? string.Empty : $"?schema={schema}")}";
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
