using Npgsql;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Migrations;

public class MigrationDeployerTests : IClassFixture<PostgresCluster>
{
    private readonly PostgresCluster _cluster;

    public MigrationDeployerTests(PostgresCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task Applies_pending_migrations_in_order_and_records_them_as_Prisma_does()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_users", "CREATE TABLE users (id int PRIMARY KEY);\nINSERT INTO users VALUES (1);");
        folder.Add("20260102000000_jobs", "CREATE TABLE jobs (id int PRIMARY KEY, owner int REFERENCES users(id));");

        var applied = await Deploy(folder.Source(db));

        Assert.Equal(["20260101000000_users", "20260102000000_jobs"], applied.Select(a => a.Name));
        Assert.Equal([2, 1], applied.Select(a => a.Statements));
        Assert.All(applied, a => Assert.True(a.InTransaction));
        Assert.Equal(2L, await db.ScalarAsync("SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL AND applied_steps_count = 1 AND logs IS NULL AND rolled_back_at IS NULL"));
        Assert.Equal(2L, await db.ScalarAsync("SELECT count(*) FROM _prisma_migrations WHERE id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AND length(checksum) = 64"));
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
    }

    [Fact]
    public async Task The_migrations_table_has_Prisma_DDL_exactly()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_a", "SELECT 1;");

        await Deploy(folder.Source(db));

        var columns = await db.ScalarAsync(
            "SELECT string_agg(column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' ' || is_nullable || coalesce(' ' || column_default, ''), ', ' ORDER BY ordinal_position) " +
            "FROM information_schema.columns WHERE table_name = '_prisma_migrations'");
        Assert.Equal(
            "id character varying(36) NO, checksum character varying(64) NO, finished_at timestamp with time zone YES, migration_name character varying(255) NO, " +
            "logs text YES, rolled_back_at timestamp with time zone YES, started_at timestamp with time zone NO now(), applied_steps_count integer NO 0",
            columns);
        Assert.Equal("_prisma_migrations_pkey", await db.ScalarAsync("SELECT conname FROM pg_constraint WHERE conrelid = '_prisma_migrations'::regclass AND contype = 'p'"));
    }

    [Fact]
    public async Task Status_reports_every_state()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var earlier = new MigrationsFolder();
        earlier.Add("20260101000000_gone", "CREATE TABLE gone (id int);");
        await Deploy(earlier.Source(db));
        using var folder = new MigrationsFolder();
        var okFile = folder.Add("20260102000000_ok", "CREATE TABLE ok (id int);");
        folder.Add("20260103000000_broken", "CREATE TABLE broken (id int);\nSELECT * FROM no_such_table;");
        folder.Add("20260104000000_later", "CREATE TABLE later (id int);");
        folder.Add("20260105000000_retry", "SELECT 1;");
        var source = folder.Source(db);

        var failure = await Assert.ThrowsAsync<DeployException>(() => Deploy(source));
        File.AppendAllText(okFile, "\n-- edited after it ran\n");

        var states = (await Status(source)).ToDictionary(s => s.Name, s => s.State);

        Assert.Equal(MigrationErrors.MigrationFailed, failure.ErrorId);
        Assert.Equal(MigrationState.MissingLocally, states["20260101000000_gone"]);
        Assert.Equal(MigrationState.Modified, states["20260102000000_ok"]);
        Assert.Equal(MigrationState.Failed, states["20260103000000_broken"]);
        Assert.Equal(MigrationState.Pending, states["20260104000000_later"]);
        await MigrationResolver.ResolveAsync(source, "20260103000000_broken", MigrationResolution.RolledBack, Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);
        Assert.Equal(MigrationState.RolledBack, (await Status(source)).Single(s => s.Name == "20260103000000_broken").State);
        var summary = MigrationStatusReader.Summarize(await Status(source), source);
        Assert.False(summary.UpToDate);
        Assert.Equal((1, 1, 1, 2), (summary.Modified, summary.MissingLocally, summary.RolledBack, summary.Pending));
    }

    [Fact]
    public async Task A_missing_table_means_every_migration_is_pending_and_nothing_is_created_by_looking()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_a", "SELECT 1;");

        var statuses = await Status(folder.Source(db));

        Assert.Equal(MigrationState.Pending, Assert.Single(statuses).State);
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE tablename = '_prisma_migrations'"));
    }

    [Fact]
    public async Task CRLF_LF_and_BOM_files_apply_and_a_line_ending_change_is_not_an_edit()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        var lf = folder.Add("20260101000000_lf", "CREATE TABLE lf (id int);\nCREATE TABLE lf2 (id int);\n");
        folder.Add("20260102000000_crlf", "CREATE TABLE crlf (id int);\r\nCREATE TABLE crlf2 (id int);\r\n");
        var bomBytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes("CREATE TABLE bom (id int);\n")).ToArray();
        folder.AddBytes("20260103000000_bom", bomBytes);
        var source = folder.Source(db);

        var applied = await Deploy(source);
        File.WriteAllText(lf, File.ReadAllText(lf).Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Equal(3, applied.Count);
        Assert.All(await Status(source), s => Assert.Equal(MigrationState.Applied, s.State));
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bomBytes)).ToLowerInvariant(),
            await db.ScalarAsync("SELECT checksum FROM _prisma_migrations WHERE migration_name = '20260103000000_bom'"));
        Assert.Equal(1L, await db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'bom'"));
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_recorded_and_blocks_with_the_resolving_command()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_half", "CREATE TABLE half (id int);\nINSERT INTO half VALUES ('not a number');");
        folder.Add("20260102000000_after", "CREATE TABLE after_half (id int);");
        var source = folder.Source(db);

        var failure = await Assert.ThrowsAsync<DeployException>(() => Deploy(source));
        var blocked = await Assert.ThrowsAsync<DeployException>(() => Deploy(source));

        Assert.Contains("line 2", failure.Message);
        Assert.Contains("22P02", failure.Message);
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE tablename IN ('half', 'after_half')"));
        Assert.Contains("22P02", (string)(await db.ScalarAsync("SELECT logs FROM _prisma_migrations WHERE migration_name = '20260101000000_half'"))!);
        Assert.Equal(MigrationErrors.FailedMigrationBlocks, blocked.ErrorId);
        Assert.Contains("Set-SkMigrationState -Name 20260101000000_half -RolledBack", blocked.Message);
        Assert.Contains("npx prisma migrate resolve --rolled-back \"20260101000000_half\"", blocked.Message);
    }

    [Fact]
    public async Task After_a_failure_resolving_rolled_back_lets_the_fixed_migration_apply_again()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        var file = folder.Add("20260101000000_fixme", "CREATE TABLE fixme (id int);\nSELECT broken;");
        var source = folder.Source(db);
        await Assert.ThrowsAsync<DeployException>(() => Deploy(source));

        File.WriteAllText(file, "CREATE TABLE fixme (id int);");
        var resolved = await MigrationResolver.ResolveAsync(source, "20260101000000_fixme", MigrationResolution.RolledBack, Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);
        var applied = await Deploy(source);

        Assert.Equal(MigrationState.RolledBack, resolved!.State);
        Assert.Single(applied);
        Assert.Equal(2L, await db.ScalarAsync("SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20260101000000_fixme'"));
        Assert.Equal(1L, await db.ScalarAsync("SELECT count(*) FROM _prisma_migrations WHERE rolled_back_at IS NOT NULL"));
    }

    [Fact]
    public async Task After_a_failure_resolving_applied_records_it_with_no_steps_and_later_ones_deploy()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_by_hand", "SELECT broken;");
        folder.Add("20260102000000_next", "CREATE TABLE next_one (id int);");
        var source = folder.Source(db);
        await Assert.ThrowsAsync<DeployException>(() => Deploy(source));

        var resolved = await MigrationResolver.ResolveAsync(source, "20260101000000_by_hand", MigrationResolution.Applied, Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);
        var applied = await Deploy(source);

        Assert.Equal(MigrationState.Applied, resolved!.State);
        Assert.Equal("20260102000000_next", Assert.Single(applied).Name);
        Assert.Equal(1L, await db.ScalarAsync("SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20260101000000_by_hand' AND finished_at IS NOT NULL AND applied_steps_count = 0"));
        Assert.Equal(1L, await db.ScalarAsync("SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20260101000000_by_hand' AND rolled_back_at IS NOT NULL"));
    }

    [Fact]
    public async Task Resolving_keeps_Prisma_preconditions()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_fine", "SELECT 1;");
        var source = folder.Source(db);
        await Deploy(source);

        var notFailed = await Assert.ThrowsAsync<DeployException>(() => MigrationResolver.ResolveAsync(source, "20260101000000_fine", MigrationResolution.RolledBack, Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None));
        var already = await Assert.ThrowsAsync<DeployException>(() => MigrationResolver.ResolveAsync(source, "20260101000000_fine", MigrationResolution.Applied, Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<DeployException>(() => MigrationResolver.ResolveAsync(source, "20990101000000_nope", MigrationResolution.Applied, Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(MigrationErrors.MigrationNotFailed, notFailed.ErrorId);
        Assert.Equal(MigrationErrors.MigrationAlreadyApplied, already.ErrorId);
        Assert.Equal(MigrationErrors.MigrationNotFound, unknown.ErrorId);
    }

    [Fact]
    public async Task A_schema_with_tables_but_no_history_needs_a_baseline()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE legacy (id int)");
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_legacy", "CREATE TABLE legacy (id int);");
        folder.Add("20260102000000_new", "CREATE TABLE brand_new (id int);");
        var source = folder.Source(db);

        var error = await Assert.ThrowsAsync<DeployException>(() => Deploy(source));
        await MigrationResolver.ResolveAsync(source, "20260101000000_legacy", MigrationResolution.Applied, Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);
        var applied = await Deploy(source);

        Assert.Equal(MigrationErrors.BaselineRequired, error.ErrorId);
        Assert.Contains("P3005", error.Message);
        Assert.Equal("20260102000000_new", Assert.Single(applied).Name);
    }

    [Fact]
    public async Task The_schema_parameter_selects_where_tables_and_history_go()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_tenant", "CREATE TABLE tenant_table (id int);");

        await Deploy(folder.Source(db, schema: "tenant_a"));

        Assert.Equal(2L, await db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'tenant_a' AND tablename IN ('tenant_table', '_prisma_migrations')"));
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        Assert.Equal(MigrationState.Pending, Assert.Single(await Status(folder.Source(db, schema: "public"))).State);
        Assert.Equal(MigrationState.Applied, Assert.Single(await Status(folder.Source(db, schema: "tenant_a"))).State);
    }

    [Fact]
    public async Task Four_concurrent_runs_apply_each_migration_exactly_once()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        for (var i = 1; i <= 5; i++)
        {
            folder.Add($"2026010{i}000000_step{i}", $"CREATE TABLE step{i} (id int);\nSELECT pg_sleep(0.1);");
        }

        var runs = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            MigrationDeployer.DeployAsync(new DeployRequest(folder.Source(db), LockTimeout: TimeSpan.FromMinutes(1)), Admissions.WithoutEnvironment, OperationHost.Silent, CancellationToken.None)));
        var results = await Task.WhenAll(runs);

        Assert.Equal(5, results.Sum(r => r.Count));
        Assert.Equal(5L, await db.ScalarAsync("SELECT count(DISTINCT migration_name) FROM _prisma_migrations"));
        Assert.Equal(5L, await db.ScalarAsync("SELECT count(*) FROM _prisma_migrations"));
    }

    [Fact]
    public async Task A_lock_held_elsewhere_times_out_with_the_holding_session()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_a", "SELECT 1;");
        await using var other = new NpgsqlConnection(db.ConnectionString);
        await other.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(72707369)", other))
        {
            await take.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<DeployException>(() =>
            MigrationDeployer.DeployAsync(new DeployRequest(folder.Source(db), LockTimeout: TimeSpan.FromMilliseconds(300)), Admissions.WithoutEnvironment, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(MigrationErrors.MigrationLockTimeout, error.ErrorId);
        Assert.Contains($"pid {other.ProcessID}", error.Message);
        Assert.Contains("-LockTimeout", error.Message);
    }

    [Fact]
    public async Task CREATE_INDEX_CONCURRENTLY_runs_outside_a_transaction_with_a_warning()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_table", "CREATE TABLE jobs (id int, title text);");
        folder.Add("20260102000000_index", "-- built without blocking writes\nCREATE INDEX CONCURRENTLY jobs_title_idx ON jobs (title);");
        var host = new RecordingHost();

        var applied = await MigrationDeployer.DeployAsync(new DeployRequest(folder.Source(db)), Admissions.WithoutEnvironment, host.Host, CancellationToken.None);

        Assert.False(applied[1].InTransaction);
        Assert.Contains(host.Warnings, w => w.Contains("CREATE INDEX CONCURRENTLY cannot run inside a transaction", StringComparison.Ordinal));
        Assert.True((bool)(await db.ScalarAsync("SELECT indisvalid FROM pg_index WHERE indexrelid = 'jobs_title_idx'::regclass"))!);
    }

    [Fact]
    public async Task A_dry_run_reports_and_leaves_no_trace()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_a", "CREATE TABLE dry_a (id int);");
        folder.Add("20260102000000_b", "INSERT INTO dry_a VALUES (1);");

        var results = await MigrationDeployer.DeployAsync(new DeployRequest(folder.Source(db), DryRun: true), Admissions.WithoutEnvironment, OperationHost.Silent, CancellationToken.None);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.DryRun));
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task A_dry_run_of_a_script_that_cannot_run_in_a_transaction_says_so()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS _x (id int)");
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_vacuum", "VACUUM;");

        var error = await Assert.ThrowsAsync<DeployException>(() =>
            MigrationDeployer.DeployAsync(new DeployRequest(folder.Source(db, schema: "fresh"), DryRun: true), Admissions.WithoutEnvironment, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(MigrationErrors.DryRunNotPossible, error.ErrorId);
        Assert.Contains("VACUUM", error.Message);
    }

    [Fact]
    public async Task WhatIf_lists_and_touches_nothing()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_a", "CREATE TABLE what_if (id int);");
        var host = new RecordingHost(Approval.WhatIf);

        var results = await MigrationDeployer.DeployAsync(new DeployRequest(folder.Source(db)), Admissions.WithoutEnvironment, host.Host, CancellationToken.None);

        Assert.Empty(results);
        Assert.Equal("Apply migration 20260101000000_a (1 statement, in a transaction)", Assert.Single(host.Asked));
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task To_stops_after_the_named_migration()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_a", "SELECT 1;");
        folder.Add("20260102000000_b", "SELECT 1;");
        folder.Add("20260103000000_c", "SELECT 1;");

        var applied = await MigrationDeployer.DeployAsync(new DeployRequest(folder.Source(db), To: "20260102000000_b"), Admissions.WithoutEnvironment, OperationHost.Silent, CancellationToken.None);

        Assert.Equal(["20260101000000_a", "20260102000000_b"], applied.Select(a => a.Name));
    }

    [Fact]
    public async Task An_edited_applied_migration_blocks_unless_allowed()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        var file = folder.Add("20260101000000_a", "SELECT 1;");
        await Deploy(folder.Source(db));
        File.WriteAllText(file, "SELECT 2;");
        folder.Add("20260102000000_b", "SELECT 1;");

        var error = await Assert.ThrowsAsync<DeployException>(() => Deploy(folder.Source(db)));
        var allowed = await MigrationDeployer.DeployAsync(new DeployRequest(folder.Source(db), AllowModified: true), Admissions.WithoutEnvironment, OperationHost.Silent, CancellationToken.None);

        Assert.Equal(MigrationErrors.ModifiedMigrationBlocks, error.ErrorId);
        Assert.Single(allowed);
    }

    [Fact]
    public async Task On_an_environment_that_requires_approval_an_Error_risk_needs_acknowledging()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        folder.Add("20260101000000_t", "CREATE TABLE doomed (id int);");
        await Deploy(folder.Source(db));
        folder.Add("20260102000000_drop", "DROP TABLE doomed;");

        var refused = await Assert.ThrowsAsync<DeployException>(() => Deploy(folder.Source(db, requireSafety: true)));
        var host = new RecordingHost();
        var applied = await MigrationDeployer.DeployAsync(new DeployRequest(folder.Source(db, requireSafety: true), AcknowledgeRisk: true), Admissions.WithoutEnvironment, host.Host, CancellationToken.None);

        Assert.Equal(MigrationErrors.MigrationRiskNotAcknowledged, refused.ErrorId);
        Assert.Contains("drop-table", refused.Message);
        Assert.Single(applied);
        Assert.Contains(host.Warnings, w => w.StartsWith("Error drop-table", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_folder_is_MigrationsFolderNotFound()
    {
        await using var db = await _cluster.CreateDatabaseAsync();
        using var folder = new MigrationsFolder();
        var source = folder.Source(db) with { Folder = Path.Join(folder.Path, "nope") };

        Assert.Equal(MigrationErrors.MigrationsFolderNotFound, (await Assert.ThrowsAsync<DeployException>(() => Deploy(source))).ErrorId);
    }

    private static Task<IReadOnlyList<AppliedMigration>> Deploy(MigrationSource source) =>
        MigrationDeployer.DeployAsync(new DeployRequest(source), Admissions.For(source.Environment), OperationHost.Silent, CancellationToken.None);

    private static Task<IReadOnlyList<MigrationStatus>> Status(MigrationSource source) =>
        MigrationStatusReader.ReadAsync(source, OperationHost.Silent, CancellationToken.None);
}
