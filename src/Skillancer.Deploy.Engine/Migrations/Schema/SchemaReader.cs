using Npgsql;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations.Schema;

/// <summary>`prisma db pull --print`, as objects: the schema's tables, columns, indexes and constraints, read from the catalog.</summary>
public static class SchemaReader
{
    /// <summary>The tables of the target's schema, by name; Prisma's _prisma_migrations is left out unless asked for.</summary>
    public static async Task<IReadOnlyList<DatabaseTable>> ReadAsync(DatabaseTarget target, bool includeMigrationsTable, OperationHost host, CancellationToken cancellationToken)
    {
        await using var connection = await DatabaseConnector.OpenAsync(target, host, cancellationToken).ConfigureAwait(false);
        var tables = await QueryAsync(connection, target.Schema,
            "SELECT c.relname, c.reltuples::bigint FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = @schema AND c.relkind IN ('r', 'p') ORDER BY c.relname",
            r => (Name: r.GetString(0), Rows: r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
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

        return tables
            .Where(t => includeMigrationsTable || t.Name != "_prisma_migrations")
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
