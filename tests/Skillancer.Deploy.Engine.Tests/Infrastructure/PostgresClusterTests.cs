using Npgsql;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

public class PostgresClusterTests : IClassFixture<PostgresCluster>
{
    private readonly PostgresCluster _cluster;

    public PostgresClusterTests(PostgresCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task Each_test_gets_a_database_of_its_own_on_the_throwaway_cluster()
    {
        await using var first = await _cluster.CreateDatabaseAsync();
        await using var second = await _cluster.CreateDatabaseAsync();

        await Execute(first.ConnectionString, "CREATE TABLE marker (id int)");

        Assert.Equal(1L, await Scalar(first.ConnectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"));
        Assert.Equal(0L, await Scalar(second.ConnectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"));
        Assert.StartsWith("PostgreSQL", (string)(await ScalarObject(first.ConnectionString, "SELECT version()"))!, StringComparison.Ordinal);
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(string connectionString, string sql) => (long)(await ScalarObject(connectionString, sql))!;

    private static async Task<object?> ScalarObject(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
