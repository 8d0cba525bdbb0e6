using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Migrations.Schema;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Migrations;

public class MigrationUndoerTests : IClassFixture<PostgresCluster>
{
    private static readonly TimeSpan Lock = TimeSpan.FromSeconds(10);
    private readonly PostgresCluster _cluster;

    public MigrationUndoerTests(PostgresCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task The_rollback_script_runs_and_the_migration_is_marked_rolled_back_so_it_applies_again()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        using var rollback = new TempFolder();
        folder.Add("20260101000000_pay", "CREATE TABLE pay (id int);\nALTER TABLE pay ADD COLUMN status text DEFAULT 'pending';");
        rollback.Write("20260101000000_pay.sql", "ALTER TABLE pay DROP COLUMN status;");
        var source = folder.Source(db, rollback: rollback.Path);
        await MigrationDeployer.DeployAsync(new DeployRequest(source), Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);

        var status = await MigrationUndoer.UndoAsync(source, "20260101000000_pay", Lock, Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);

        Assert.Equal(MigrationState.RolledBack, status!.State);
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'pay' AND column_name = 'status'"));
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
    }

    [Fact]
    public async Task A_failing_rollback_changes_nothing()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        using var rollback = new TempFolder();
        folder.Add("20260101000000_keep", "CREATE TABLE keep_me (id int);");
        rollback.Write("20260101000000_keep.sql", "DROP TABLE keep_me;\nDROP TABLE no_such_table;");
        var source = folder.Source(db, rollback: rollback.Path);
        await MigrationDeployer.DeployAsync(new DeployRequest(source), Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DeployException>(() => MigrationUndoer.UndoAsync(source, "20260101000000_keep", Lock, Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(MigrationErrors.RollbackFailed, error.ErrorId);
        Assert.Contains("line 2", error.Message);
        Assert.Equal(1L, await db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'keep_me'"));
        Assert.Equal(MigrationState.Applied, (await MigrationStatusReader.ReadAsync(source, OperationHost.Silent, CancellationToken.None)).Single().State);
    }

    [Fact]
    public async Task Without_a_script_it_points_to_Set_SkMigrationState()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        using var rollback = new TempFolder();
        folder.Add("20260101000000_x", "SELECT 1;");

        var error = await Assert.ThrowsAsync<DeployException>(() => MigrationUndoer.UndoAsync(folder.Source(db, rollback: rollback.Path), "20260101000000_x", Lock, Admissions.WithoutEnvironment, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(MigrationErrors.RollbackScriptNotFound, error.ErrorId);
        Assert.Contains("Set-SkMigrationState -Name 20260101000000_x -RolledBack", error.Message);
    }

    [Fact]
    public async Task A_migration_that_is_not_applied_cannot_be_undone()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        using var rollback = new TempFolder();
        folder.Add("20260101000000_never", "SELECT 1;");
        rollback.Write("20260101000000_never.sql", "SELECT 1;");

        var error = await Assert.ThrowsAsync<DeployException>(() => MigrationUndoer.UndoAsync(folder.Source(db, rollback: rollback.Path), "20260101000000_never", Lock, Admissions.WithoutEnvironment, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(MigrationErrors.MigrationNotApplied, error.ErrorId);
    }

    [Fact]
    public async Task WhatIf_shows_the_script_and_runs_nothing()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        using var rollback = new TempFolder();
        folder.Add("20260101000000_w", "CREATE TABLE stays (id int);");
        rollback.Write("20260101000000_w.sql", "DROP TABLE stays;");
        var source = folder.Source(db, rollback: rollback.Path);
        await MigrationDeployer.DeployAsync(new DeployRequest(source), Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);
        var host = new RecordingHost(Approval.WhatIf);

        var status = await MigrationUndoer.UndoAsync(source, "20260101000000_w", Lock, Admissions.For(source.Environment), host.Host, CancellationToken.None);

        Assert.Null(status);
        Assert.Contains("DROP TABLE stays;", Assert.Single(host.Asked));
        Assert.Equal(1L, await db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'stays'"));
    }

    [Fact]
    public async Task The_schema_reader_shows_tables_columns_indexes_and_constraints()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_schema",
            "CREATE TABLE clients (id text PRIMARY KEY);\n" +
            "CREATE TABLE jobs (id text PRIMARY KEY, title varchar(200) NOT NULL, budget numeric(10,2) DEFAULT 0, client_id text REFERENCES clients(id), CHECK (budget >= 0));\n" +
            "CREATE UNIQUE INDEX jobs_title_key ON jobs (title);");
        var source = folder.Source(db);
        await MigrationDeployer.DeployAsync(new DeployRequest(source), Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);

        var report = await SchemaReader.ReadAsync(new SchemaRequest(source.Database), OperationHost.Silent, CancellationToken.None);
        var tables = report.Tables;

        Assert.Equal(["clients", "jobs"], tables.Select(t => t.Name));
        Assert.Empty(report.Missing);
        var jobs = tables[1];
        Assert.Equal(new TableColumn("title", "character varying(200)", false, null), jobs.Columns[1]);
        Assert.Equal(new TableColumn("budget", "numeric(10,2)", true, "0"), jobs.Columns[2]);
        Assert.Contains(jobs.Indexes, i => i.Name == "jobs_title_key" && i.IsUnique && i.Definition.Contains("USING btree (title)", StringComparison.Ordinal));
        Assert.Contains(jobs.Constraints, c => c.Kind == "ForeignKey" && c.Definition == "FOREIGN KEY (client_id) REFERENCES clients(id)");
        Assert.Contains(jobs.Constraints, c => c.Kind == "Check" && c.Definition.Contains("budget >= (0)::numeric", StringComparison.Ordinal));
        Assert.Contains(jobs.Constraints, c => c.Kind == "PrimaryKey");
    }
}
