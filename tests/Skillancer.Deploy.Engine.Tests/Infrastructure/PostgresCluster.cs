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
}

/// <summary>A database that exists for one test.</summary>
public sealed class TestDatabase(string name, string connectionString, string adminConnectionString) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = connectionString;

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
