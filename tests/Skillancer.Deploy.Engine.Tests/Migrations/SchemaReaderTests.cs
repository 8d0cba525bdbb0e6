using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Migrations.Schema;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Migrations;

public class SchemaReaderTests : IClassFixture<PostgresCluster>
{
    private readonly PostgresCluster _cluster;

    public SchemaReaderTests(PostgresCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task A_table_name_that_matches_nothing_is_TableNotFound_naming_the_schema_the_nearest_table_and_the_others_while_known_tables_still_come()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_tables", "CREATE TABLE \"Job\" (id int);\nCREATE TABLE \"Proposal\" (id int);\nCREATE TABLE \"User\" (id int);");
        var source = folder.Source(db);
        await MigrationDeployer.DeployAsync(new DeployRequest(source), Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);
        var filters = new[]
        {
            TableFilter.Named("Jobs"), TableFilter.Named("user"), TableFilter.Named("nope"),
            TableFilter.Pattern("Zz*", t => t.StartsWith("Zz", StringComparison.OrdinalIgnoreCase)),
        };

        var report = await SchemaReader.ReadAsync(new SchemaRequest(source.Database, filters), OperationHost.Silent, CancellationToken.None);

        Assert.Equal(["User"], report.Tables.Select(t => t.Name));
        Assert.Equal(["Jobs", "nope"], report.Missing.Select(e => e.Target));
        Assert.All(report.Missing, e => Assert.Equal(MigrationErrors.TableNotFound, e.ErrorId));
        Assert.All(report.Missing, e => Assert.Equal(DeployErrorCategory.ObjectNotFound, e.Category));
        Assert.StartsWith($"There is no table 'Jobs' in postgres@", report.Missing[0].Message);
        Assert.Contains($"/{db.Name} (schema public). Did you mean 'Job'? Its tables are: Job, Proposal, User.", report.Missing[0].Message);
        Assert.DoesNotContain("Did you mean", report.Missing[1].Message);
        Assert.Contains("Its tables are: Job, Proposal, User. Check the name, or run Get-SkDatabaseSchema without -Table", report.Missing[1].Message);
    }

    [Fact]
    public async Task An_empty_schema_and_the_hidden_migrations_table_say_what_to_do()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        var source = folder.Source(db, schema: "empty");

        var empty = await SchemaReader.ReadAsync(new SchemaRequest(source.Database, [TableFilter.Named("Job")]), OperationHost.Silent, CancellationToken.None);
        folder.Add("20260101000000_a", "CREATE TABLE a (id int);");
        await MigrationDeployer.DeployAsync(new DeployRequest(source), Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);
        var hidden = await SchemaReader.ReadAsync(new SchemaRequest(source.Database, [TableFilter.Named("_prisma_migrations")]), OperationHost.Silent, CancellationToken.None);
        var shown = await SchemaReader.ReadAsync(new SchemaRequest(source.Database, [TableFilter.Named("_prisma_migrations")], IncludeMigrationsTable: true), OperationHost.Silent, CancellationToken.None);

        Assert.Contains("(schema empty). The schema has no tables yet: apply the migrations with Invoke-SkMigration", Assert.Single(empty.Missing).Message);
        Assert.Contains("shown only with -IncludeMigrationsTable", Assert.Single(hidden.Missing).Message);
        Assert.Equal("_prisma_migrations", Assert.Single(shown.Tables).Name);
        Assert.Empty(shown.Missing);
    }

    [Fact]
    public async Task Table_names_for_completion_come_from_the_catalog_without_the_migrations_table()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_tables", "CREATE TABLE beta (id int);\nCREATE TABLE alpha (id int);");
        var source = folder.Source(db);
        await MigrationDeployer.DeployAsync(new DeployRequest(source), Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);

        var names = await SchemaReader.TableNamesAsync(source.Database, includeMigrationsTable: false, CancellationToken.None);
        var all = await SchemaReader.TableNamesAsync(source.Database, includeMigrationsTable: true, CancellationToken.None);

        Assert.Equal(["alpha", "beta"], names.Select(n => n.Name));
        Assert.Equal(["_prisma_migrations", "alpha", "beta"], all.Select(n => n.Name).Order(StringComparer.Ordinal));
    }
}
