using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Migrations;

public class DatabaseConnectionTests : IClassFixture<PostgresCluster>
{
    private readonly PostgresCluster _cluster;

    public DatabaseConnectionTests(PostgresCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task A_wrong_password_is_DatabaseAuthenticationFailed_and_never_shows_the_password()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        var (user, _) = await _cluster.PasswordUserAsync();
        var wrong = "wrong-pass-" + Guid.NewGuid().ToString("N")[..8];

        var error = await Fails(db.Url(user: user, password: wrong));

        Assert.Equal(MigrationErrors.DatabaseAuthenticationFailed, error.ErrorId);
        Assert.Contains(user, error.Message);
        Assert.DoesNotContain(wrong, error.Message);
        Assert.DoesNotContain(wrong, error.ToString());
    }

    [Fact]
    public async Task The_right_password_connects()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        var (user, password) = await _cluster.PasswordUserAsync();
        using var folder = new MigrationsFolder();

        var statuses = await MigrationStatusReader.ReadAsync(
            new MigrationSource(DatabaseTarget.Parse(new Secret(db.Url(user: user, password: password), "test"), "test"), folder.Path), OperationHost.Silent, CancellationToken.None);

        Assert.Empty(statuses);
    }

    [Fact]
    public async Task An_unreachable_host_is_DatabaseUnreachable()
    {
        var port = FreePort();

        var error = await Fails($"postgresql://postgres:secret-xyz@127.0.0.1:{port}/postgres");

        Assert.Equal(MigrationErrors.DatabaseUnreachable, error.ErrorId);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.DoesNotContain("secret-xyz", error.Message);
    }

    [Fact]
    public async Task A_missing_database_is_DatabaseNotFound()
    {
        await using var db = await _cluster.CreateDatabaseAsync();

        var error = await Fails(db.Url().Replace(db.Name, "no_such_db_" + Guid.NewGuid().ToString("N")[..6], StringComparison.Ordinal));

        Assert.Equal(MigrationErrors.DatabaseNotFound, error.ErrorId);
        Assert.Contains("does not exist", error.Message);
    }

    [Theory]
    [InlineData("postgresql://u:p@h:5432/db?schema=app&sslmode=require", "app", "h", 5432, "db")]
    [InlineData("postgres://u@h/db", "public", "h", 5432, "db")]
    [InlineData("postgresql://u:p%40ss@[::1]:6543/my%20db?schema=s&connection_limit=5", "s", "::1", 6543, "my db")]
    [InlineData("Host=h;Port=6000;Username=u;Password=p;Database=db;Search Path=tenant,public", "tenant", "h", 6000, "db")]
    public void Both_connection_string_forms_are_read(string text, string schema, string host, int port, string database)
    {
        var target = DatabaseTarget.Parse(new Secret(text, "test"), "test");

        Assert.Equal((schema, host, port, database), (target.Schema, target.Host, target.Port, target.DatabaseName));
        Assert.DoesNotContain("p@ss", target.Display);
        Assert.DoesNotContain(":p@", target.Display);
    }

    [Fact]
    public void A_garbled_connection_string_is_ConnectionStringInvalid_without_echoing_it()
    {
        var error = Assert.Throws<DeployException>(() => DatabaseTarget.Parse(new Secret("Hoost=x;Passw0rd=topsecret1", "test"), "$env:DATABASE_URL"));

        Assert.Equal(MigrationErrors.ConnectionStringInvalid, error.ErrorId);
        Assert.Contains("$env:DATABASE_URL", error.Message);
        Assert.DoesNotContain("topsecret1", error.Message);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<DeployException> Fails(string url)
    {
        using var folder = new MigrationsFolder();
        var source = new MigrationSource(DatabaseTarget.Parse(new Secret(url, "test"), "test"), folder.Path);
        return await Assert.ThrowsAsync<DeployException>(() => MigrationStatusReader.ReadAsync(source, OperationHost.Silent, CancellationToken.None));
    }
}
