using Npgsql;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations.Schema;

/// <summary>`prisma db pull --print`, as objects: the schema's tables, columns, indexes and constraints, read from the catalog.</summary>
public static class SchemaReader
{
    /// <summary>Prisma's migration history table, left out unless asked for.</summary>
    public const string MigrationsTable = "_prisma_migrations";

    /// <summary>
    /// The tables of the request's schema, by name, with a TableNotFound error for each -Table name that
    /// matches none (the tables that do match are still read).
    /// </summary>
    public static async Task<SchemaReport> ReadAsync(SchemaRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        var target = request.Database;
        await using var connection = await DatabaseConnector.OpenAsync(target, host, cancellationToken).ConfigureAwait(false);
        var all = await TablesAsync(connection, target.Schema, request.IncludeMigrationsTable, cancellationToken).ConfigureAwait(false);
        var (selected, missing) = TableLookup.Select(all.Select(t => t.Name).ToList(), request.Tables, target);
        if (selected.Count == 0)
        {
            return new SchemaReport([], missing);
        }

        var columns = await QueryAsync(connection, target.Schema,
            "SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid) " +
            "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
            "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum " +
            "WHERE n.nspname = @schema AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
            r => (Table: r.GetString(0), Column: new TableColumn(r.GetString(1), r.GetString(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4))), cancellationToken).ConfigureAwait(false);
        var indexes = await QueryAsync(connection, target.Schema,
            "SELECT t.relname, i.relname, pg_catalog.pg_get_indexdef(x.indexrelid), x.indisunique, x.indisprimary " +
            "FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class t ON t.oid = x.indrelid JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid " +
            "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = @schema ORDER BY t.relname, i.relname",
            r => (Table: r.GetString(0), Index: new TableIndex(r.GetString(1), r.GetString(2), r.GetBoolean(3), r.GetBoolean(4))), cancellationToken).ConfigureAwait(false);
        var constraints = await QueryAsync(connection, target.Schema,
            "SELECT t.relname, con.conname, con.contype::text, pg_catalog.pg_get_constraintdef(con.oid) " +
            "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class t ON t.oid = con.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace " +
            "WHERE n.nspname = @schema ORDER BY t.relname, con.conname",
            r => (Table: r.GetString(0), Constraint: new TableConstraint(r.GetString(1), Kind(r.GetString(2)), r.GetString(3))), cancellationToken).ConfigureAwait(false);

        var tables = all
            .Where(t => selected.Contains(t.Name))
            .Select(t => new DatabaseTable
            {
                Schema = target.Schema,
                Name = t.Name,
                Columns = columns.Where(c => c.Table == t.Name).Select(c => c.Column).ToList(),
                Indexes = indexes.Where(i => i.Table == t.Name).Select(i => i.Index).ToList(),
                Constraints = constraints.Where(c => c.Table == t.Name).Select(c => c.Constraint).ToList(),
                EstimatedRows = t.Rows,
                Database = target.Display,
            })
            .ToList();
        return new SchemaReport(tables, missing);
    }

    /// <summary>The names of the schema's tables and their row estimates, for tab completion: one query, nothing else.</summary>
    public static async Task<IReadOnlyList<(string Name, long Rows)>> TableNamesAsync(DatabaseTarget target, bool includeMigrationsTable, CancellationToken cancellationToken)
    {
        await using var connection = await DatabaseConnector.OpenAsync(target, OperationHost.Silent, cancellationToken).ConfigureAwait(false);
        return await TablesAsync(connection, target.Schema, includeMigrationsTable, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<(string Name, long Rows)>> TablesAsync(NpgsqlConnection connection, string schema, bool includeMigrationsTable, CancellationToken cancellationToken)
    {
        var tables = await QueryAsync(connection, schema,
            "SELECT c.relname, c.reltuples::bigint FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = @schema AND c.relkind IN ('r', 'p') ORDER BY c.relname",
            r => (Name: r.GetString(0), Rows: r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        return tables.Where(t => includeMigrationsTable || t.Name != MigrationsTable).ToList();
    }

    private static string Kind(string code) => code switch
    {
        "p" => "PrimaryKey",
        "f" => "ForeignKey",
        "u" => "Unique",
        "c" => "Check",
        "x" => "Exclusion",
        _ => code,
    };

    private static async Task<List<T>> QueryAsync<T>(NpgsqlConnection connection, string schema, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("schema", schema);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(read(reader));
        }

        return results;
    }
}
