using Skillancer.Deploy.Engine.Migrations.History;

namespace Skillancer.Deploy.Engine.Tests.Migrations;

public class FailureLogTests
{
    // Prisma's P3018 text as the schema engine stores it for PostgreSQL (see PrismaFailureLogs for where each part comes from).
    private const string PrismaLogs =
        "A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n" +
        "Migration name: 20261201090000_add_invoices\n\n" +
        "Database error code: 42701\n\n" +
        "Database error:\n" +
        "ERROR: column \"total\" of relation \"Invoice\" already exists\n\n" +
        "DbError { severity: \"ERROR\", parsed_severity: Some(Error), code: SqlState(E42701), message: \"column \\\"total\\\" of relation \\\"Invoice\\\" already exists\", detail: None, hint: None, position: None, where_: None, schema: None, table: None, column: None, datatype: None, constraint: None, file: Some(\"tablecmds.c\"), line: Some(7279), routine: Some(\"check_for_column_name_collision\") }\n\n" +
        "   0: sql_schema_connector::apply_migration::apply_script\n" +
        "           with migration_name=\"20261201090000_add_invoices\"\n" +
        "             at schema-engine/connectors/sql-schema-connector/src/apply_migration.rs:113\n" +
        "   1: schema_commands::commands::apply_migrations::Applying migration\n" +
        "           with migration_name=\"20261201090000_add_invoices\"\n" +
        "             at schema-engine/commands/src/commands/apply_migrations.rs:95\n" +
        "   2: schema_core::state::ApplyMigrations\n" +
        "             at schema-engine/core/src/state.rs:260";

    [Fact]
    public void Prisma_logs_give_the_code_and_the_database_error_not_the_backtrace()
    {
        var log = FailureLog.Parse(PrismaLogs)!;

        Assert.Equal("42701", log.Code);
        Assert.Equal("ERROR: column \"total\" of relation \"Invoice\" already exists", log.Message);
        Assert.Null(log.Line);
        Assert.Equal("42701: ERROR: column \"total\" of relation \"Invoice\" already exists", log.ToString());
    }

    [Fact]
    public void Prisma_logs_with_a_position_excerpt_give_the_failing_line_and_the_hint()
    {
        const string logs =
            "A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n" +
            "Migration name: 20261202090000_backfill\n\n" +
            "Database error code: 42P01\n\n" +
            "Database error:\n" +
            "ERROR: relation \"invoice_lines\" does not exist\n" +
            "HINT: Perhaps you meant to reference the table \"public.invoice_line\".\n\n" +
            "Position:\n" +
            "\u001b[1m  5\u001b[0m -- backfill the totals\n" +
            "\u001b[1m  6\u001b[0m\n" +
            "\u001b[1m  7\u001b[1;31m UPDATE \"Invoice\" SET total = (SELECT sum(amount) FROM invoice_lines);\u001b[0m\n\n" +
            "DbError { severity: \"ERROR\", parsed_severity: Some(Error), code: SqlState(E42P01), message: \"relation \\\"invoice_lines\\\" does not exist\", detail: None, hint: Some(\"Perhaps you meant to reference the table \\\"public.invoice_line\\\".\"), position: Some(Original(151)), where_: None, schema: None, table: None, column: None, datatype: None, constraint: None, file: Some(\"parse_relation.c\"), line: Some(1449), routine: Some(\"parserOpenTable\") }\n\n" +
            "   0: sql_schema_connector::apply_migration::apply_script\n" +
            "           with migration_name=\"20261202090000_backfill\"\n" +
            "             at schema-engine/connectors/sql-schema-connector/src/apply_migration.rs:113\n" +
            "   1: schema_core::state::ApplyMigrations\n" +
            "             at schema-engine/core/src/state.rs:260";

        var log = FailureLog.Parse(logs)!;

        Assert.Equal("42P01", log.Code);
        Assert.Equal(7, log.Line);
        Assert.Equal("ERROR: relation \"invoice_lines\" does not exist HINT: Perhaps you meant to reference the table \"public.invoice_line\".", log.Message);
        Assert.DoesNotContain('\u001b', FailureLog.Readable(logs));
    }

    [Fact]
    public void Logs_written_by_Invoke_SkMigration_give_the_code_the_error_its_detail_and_the_statement_line()
    {
        const string logs =
            "Database error code: 23502\n\nDatabase error:\nERROR: column \"budget\" of relation \"Job\" contains null values\n" +
            "DETAIL: Failing row contains (7, null).\n\nStatement at line 4: ALTER TABLE \"Job\" ALTER COLUMN \"budget\" SET NOT NULL";

        var log = FailureLog.Parse(logs)!;

        Assert.Equal("23502 at line 4: ERROR: column \"budget\" of relation \"Job\" contains null values DETAIL: Failing row contains (7, null).", log.ToString());
    }

    [Fact]
    public void Older_Prisma_prefixes_are_dropped_and_logs_of_no_known_shape_give_their_first_meaningful_line()
    {
        var older = FailureLog.Parse("Migration name: 20210101000000_a\n\nDatabase error code: 42601\n\nDatabase error:\ndb error: ERROR: syntax error at or near \"TABEL\"\n\n   0: migration_core::api::ApplyMigrations\n             at migration-engine/core/src/api.rs:102")!;
        var unknown = FailureLog.Parse("\n   0: schema_core::state::ApplyMigrations\n             at schema-engine/core/src/state.rs:260\nMigration file not found: 20210101000000_a/migration.sql\n")!;

        Assert.Equal("42601: ERROR: syntax error at or near \"TABEL\"", older.ToString());
        Assert.Null(unknown.Code);
        Assert.Equal("Migration file not found: 20210101000000_a/migration.sql", unknown.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n ")]
    public void Empty_logs_hold_no_error(string? logs) => Assert.Null(FailureLog.Parse(logs));
}
