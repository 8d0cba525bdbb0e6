using Npgsql;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Migrations.Folder;
using Skillancer.Deploy.Engine.Migrations.History;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Migrations;

/// <summary>What a failed migration tells the next deploy and the resolver, whether Prisma or Invoke-SkMigration recorded it.</summary>
public class FailedMigrationTests : IClassFixture<PostgresCluster>
{
    private const string Broken = "20260102000000_backfill";
    private readonly PostgresCluster _cluster;

    public FailedMigrationTests(PostgresCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task A_migration_Prisma_failed_blocks_with_the_database_error_and_line_and_the_full_logs_go_to_verbose()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var earlier = new MigrationsFolder();
        using var folder = new MigrationsFolder();
        const string jobs = "CREATE TABLE jobs (id int PRIMARY KEY, total numeric);";
        const string prefix = "-- totals for the new report\n\n";
        const string failing = "UPDATE jobs SET total = (SELECT sum(amount) FROM job_lines);";
        earlier.Add("20260101000000_jobs", jobs);
        folder.Add("20260101000000_jobs", jobs);
        folder.Add(Broken, prefix + failing + "\n");
        var source = folder.Source(db);
        await Deploy(earlier.Source(db));
        var logs = await FailAsPrismaDoes(db, Broken, prefix + failing + "\n", failing, prefix.Length);
        var host = new RecordingHost();

        var blocked = await Assert.ThrowsAsync<DeployException>(() => MigrationDeployer.DeployAsync(new DeployRequest(source), Admissions.For(source.Environment), host.Host, CancellationToken.None));
        var status = (await Status(source)).Single(s => s.Name == Broken);

        Assert.Equal(MigrationErrors.FailedMigrationBlocks, blocked.ErrorId);
        Assert.Contains("with database error 42P01 at line 3: ERROR: relation \"job_lines\" does not exist.", blocked.Message);
        Assert.DoesNotContain("schema-engine", blocked.Message);
        Assert.DoesNotContain("DbError", blocked.Message);
        Assert.Contains(host.Verbose, v => v.Contains("at schema-engine/core/src/state.rs:260", StringComparison.Ordinal) && !v.Contains('\u001b'));
        Assert.Equal(logs, status.Logs);
        Assert.Equal("42P01 at line 3: ERROR: relation \"job_lines\" does not exist", status.Error);
    }

    [Fact]
    public async Task A_migration_Invoke_SkMigration_failed_blocks_with_its_database_error_and_statement_line()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_half", "CREATE TABLE half (id int);\nINSERT INTO half VALUES ('not a number');");
        var source = folder.Source(db);
        await Assert.ThrowsAsync<DeployException>(() => Deploy(source));

        var blocked = await Assert.ThrowsAsync<DeployException>(() => Deploy(source));

        Assert.Equal(MigrationErrors.FailedMigrationBlocks, blocked.ErrorId);
        Assert.Contains("with database error 22P02 at line 2: ERROR: invalid input syntax for type integer: \"not a number\".", blocked.Message);
        Assert.DoesNotContain("Statement at line", blocked.Message);
    }

    [Fact]
    public async Task A_run_that_died_before_it_recorded_an_error_is_reported_as_interrupted()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add(Broken, "SELECT 1;");
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            // As Prisma leaves a run whose process was killed mid-script: the started row, nothing else.
            await connection.OpenAsync();
            var history = new MigrationHistory(connection, "public");
            await history.CreateAsync(null, CancellationToken.None);
            await history.InsertStartedAsync(Broken, MigrationChecksum.Compute("SELECT 1;"), null, CancellationToken.None);
        }

        var blocked = await Assert.ThrowsAsync<DeployException>(() => Deploy(folder.Source(db)));

        Assert.Equal(MigrationErrors.FailedMigrationBlocks, blocked.ErrorId);
        Assert.Contains($"The migration {Broken} started on ", blocked.Message);
        Assert.Contains("never finished, and no error was recorded: the run that applied it was probably interrupted.", blocked.Message);
    }

    [Fact]
    public async Task Resolving_rolled_back_reports_the_recorded_checksum_and_warns_when_the_file_changed_since()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        const string failed = "SELECT * FROM no_such_table;";
        const string fixedScript = "SELECT 1;";
        var file = folder.Add(Broken, failed);
        var source = folder.Source(db);
        await Assert.ThrowsAsync<DeployException>(() => Deploy(source));
        File.WriteAllText(file, fixedScript);
        var host = new RecordingHost();

        var resolved = await MigrationResolver.ResolveAsync(source, Broken, MigrationResolution.RolledBack, Admissions.For(source.Environment), host.Host, CancellationToken.None);

        Assert.Equal(MigrationState.RolledBack, resolved!.State);
        Assert.Equal(MigrationChecksum.Compute(failed), resolved.Checksum);
        Assert.Equal(await db.ScalarAsync($"SELECT checksum FROM _prisma_migrations WHERE migration_name = '{Broken}'"), resolved.Checksum);
        Assert.Equal(MigrationChecksum.Compute(fixedScript), resolved.FileChecksum);
        var warning = Assert.Single(host.Warnings);
        Assert.Contains($"recorded checksum {MigrationChecksum.Compute(failed)[..12]}, file {MigrationChecksum.Compute(fixedScript)[..12]}", warning);
        Assert.Contains("The next Invoke-SkMigration applies the file as it is now.", warning);
    }

    [Fact]
    public async Task Resolving_rolled_back_an_unchanged_file_says_nothing_more()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add(Broken, "SELECT * FROM no_such_table;");
        var source = folder.Source(db);
        await Assert.ThrowsAsync<DeployException>(() => Deploy(source));
        var host = new RecordingHost();

        var resolved = await MigrationResolver.ResolveAsync(source, Broken, MigrationResolution.RolledBack, Admissions.For(source.Environment), host.Host, CancellationToken.None);

        Assert.Equal(resolved!.FileChecksum, resolved.Checksum);
        Assert.Empty(host.Warnings);
    }

    [Fact]
    public async Task Status_shows_what_ran_and_the_file_as_it_is_now_for_an_edited_migration()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        var file = folder.Add("20260101000000_a", "SELECT 1;");
        var source = folder.Source(db);
        await Deploy(source);
        File.WriteAllText(file, "SELECT 2;");

        var status = Assert.Single(await Status(source));

        Assert.Equal(MigrationState.Modified, status.State);
        Assert.Equal(MigrationChecksum.Compute("SELECT 1;"), status.Checksum);
        Assert.Equal(MigrationChecksum.Compute("SELECT 2;"), status.FileChecksum);
        Assert.Null(status.Error);
    }

    [Fact]
    public void The_folder_lists_only_sub_folders_with_a_migration_sql_in_order_and_a_missing_folder_lists_none()
    {
        using var folder = new MigrationsFolder();
        folder.Add("20260102000000_b", "SELECT 1;");
        folder.Add("20260101000000_a", "SELECT 1;");
        Directory.CreateDirectory(Path.Join(folder.Path, "20260103000000_empty"));

        Assert.Equal(["20260101000000_a", "20260102000000_b"], MigrationFolder.Names(folder.Path));
        Assert.Empty(MigrationFolder.Names(Path.Join(folder.Path, "nope")));
    }

    // Runs the failing statement on the real server for its real error, then writes the row as Prisma does:
    // record_migration_started inserts it, record_failed_step sets its logs (MigrationHistory issues those same statements).
    private static async Task<string> FailAsPrismaDoes(TestDatabase db, string name, string script, string failing, int offset)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        PostgresException error;
        try
        {
            await using var command = new NpgsqlCommand(failing, connection);
            await command.ExecuteNonQueryAsync();
            throw new InvalidOperationException("The statement was meant to fail.");
        }
        catch (PostgresException e)
        {
            error = e;
        }

        var logs = PrismaFailureLogs.For(name, script, error, offset);
        var history = new MigrationHistory(connection, "public");
        var id = await history.InsertStartedAsync(name, MigrationChecksum.Compute(script), null, CancellationToken.None);
        await history.RecordFailureAsync(id, logs, CancellationToken.None);
        return logs;
    }

    private static Task<IReadOnlyList<AppliedMigration>> Deploy(MigrationSource source) =>
        MigrationDeployer.DeployAsync(new DeployRequest(source), Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);

    private static Task<IReadOnlyList<MigrationStatus>> Status(MigrationSource source) =>
        MigrationStatusReader.ReadAsync(source, OperationHost.Silent, CancellationToken.None);
}
