using Npgsql;
using NpgsqlTypes;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations.History;

/// <summary>
/// Prisma's _prisma_migrations table, with Prisma's own DDL and row updates, so that
/// `prisma migrate deploy` and Invoke-SkMigration can take turns on the same database.
/// </summary>
internal sealed class MigrationHistory
{
    /// <summary>The advisory lock key Prisma takes while migrating.</summary>
    public const long LockKey = 72707369;

    private readonly NpgsqlConnection _connection;
    private readonly string _schema;
    private readonly string _table;

    public MigrationHistory(NpgsqlConnection connection, string schema)
    {
        _connection = connection;
        _schema = schema;
        _table = $"{Quote(schema)}.\"_prisma_migrations\"";
    }

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken) =>
        await ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = @schema AND c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p'))", cancellationToken).ConfigureAwait(false);

    /// <summary>True when the schema holds tables, views or types other than the migrations table (then a baseline is needed).</summary>
    public async Task<bool> SchemaHasObjectsAsync(CancellationToken cancellationToken) =>
        await ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = @schema AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname <> '_prisma_migrations') " +
            "OR EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace " +
            "WHERE n.nspname = @schema AND t.typtype = 'e')", cancellationToken).ConfigureAwait(false);

    /// <summary>Creates the schema if needed and the table exactly as Prisma does.</summary>
    public async Task CreateAsync(NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {Quote(_schema)}", transaction, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            $"""
            CREATE TABLE {_table} (
                "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
                "checksum"              VARCHAR(64) NOT NULL,
                "finished_at"           TIMESTAMPTZ,
                "migration_name"        VARCHAR(255) NOT NULL,
                "logs"                  TEXT,
                "rolled_back_at"        TIMESTAMPTZ,
                "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
                "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
            )
            """, transaction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every row, oldest first.</summary>
    public async Task<IReadOnlyList<MigrationRow>> ReadAsync(NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count FROM {_table} ORDER BY started_at, id",
            _connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<MigrationRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new MigrationRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetInt32(7)));
        }

        return rows;
    }

    /// <summary>Records that a migration has started (Prisma inserts id, checksum, started_at and the name).</summary>
    public async Task<string> InsertStartedAsync(string name, string checksum, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString();
        await ExecuteAsync($"INSERT INTO {_table} (id, checksum, started_at, migration_name) VALUES (@id, @checksum, now(), @name)",
            transaction, cancellationToken, ("id", id), ("checksum", checksum), ("name", name)).ConfigureAwait(false);
        return id;
    }

    public Task MarkFinishedAsync(string id, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        ExecuteAsync($"UPDATE {_table} SET finished_at = now(), applied_steps_count = applied_steps_count + 1 WHERE id = @id",
            transaction, cancellationToken, ("id", id));

    public Task RecordFailureAsync(string id, string logs, CancellationToken cancellationToken) =>
        ExecuteAsync($"UPDATE {_table} SET logs = @logs WHERE id = @id", null, cancellationToken, ("id", id), ("logs", logs));

    public Task MarkRolledBackAsync(IEnumerable<string> ids, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        ExecuteAsync($"UPDATE {_table} SET rolled_back_at = now() WHERE id = ANY(@ids)", transaction, cancellationToken, ("ids", ids.ToArray()));

    /// <summary>prisma migrate resolve --applied: a finished row with no steps applied.</summary>
    public Task InsertAppliedAsync(string name, string checksum, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        ExecuteAsync($"INSERT INTO {_table} (id, checksum, started_at, finished_at, migration_name, applied_steps_count) VALUES (@id, @checksum, now(), now(), @name, 0)",
            transaction, cancellationToken, ("id", Guid.NewGuid().ToString()), ("checksum", checksum), ("name", name));

    /// <summary>
    /// Waits for Prisma's advisory lock, so that no two runs migrate at once; after
    /// <paramref name="timeout"/> (PostgreSQL's lock_timeout, 55P03) fails with <c>MigrationLockTimeout</c>.
    /// </summary>
    public async Task LockAsync(TimeSpan timeout, string database, OperationHost host, CancellationToken cancellationToken)
    {
        host.Verbose($"Waiting up to {timeout.TotalSeconds:0.#} s for the migration lock (advisory lock {LockKey}).");
        await ExecuteAsync($"SET lock_timeout = {(long)Math.Max(1, timeout.TotalMilliseconds)}", null, cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync($"SELECT pg_advisory_lock({LockKey})", null, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            var holder = await LockHolderAsync(CancellationToken.None).ConfigureAwait(false);
            var pid = holder?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<pid>";
            throw new DeployException(MigrationErrors.MigrationLockTimeout, DeployErrorCategory.OperationTimeout,
                $"Another session{(holder is null ? string.Empty : $" (pid {pid})")} held the migration lock on {database} for longer than {timeout.TotalSeconds:0.#} s. " +
                $"Wait for the other migration to finish, or raise -LockTimeout. If no migration runs, end the stuck session (SELECT pg_terminate_backend({pid})).",
                database, e);
        }
        finally
        {
            await ExecuteAsync("RESET lock_timeout", null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the lock explicitly (Prisma never does: prisma/prisma#12999).</summary>
    public Task UnlockAsync() => ExecuteAsync($"SELECT pg_advisory_unlock({LockKey})", null, CancellationToken.None);

    private async Task<int?> LockHolderAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT pid FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND objid = {LockKey} AND granted LIMIT 1", _connection);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as int?;
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, _connection);
        command.Parameters.AddWithValue("schema", NpgsqlDbType.Text, _schema);
        return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task ExecuteAsync(string sql, NpgsqlTransaction? transaction, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, _connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
