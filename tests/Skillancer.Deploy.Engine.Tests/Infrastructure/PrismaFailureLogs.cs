using System.Globalization;
using System.Text;
using Npgsql;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>
/// The logs `prisma migrate deploy` writes into _prisma_migrations when PostgreSQL refuses a migration's
/// script. Prisma cannot be installed here (its engines download from binaries.prisma.sh), so the text
/// is reproduced from prisma-engines' source, piece by piece, around a real PostgreSQL error:
/// <list type="bullet">
/// <item>schema-engine/core (apply_migrations.rs): <c>logs = err.to_string()</c>, then record_failed_step sets <c>logs</c>.</item>
/// <item>schema-connector (error.rs): ConnectorError's Display is its message, a newline, then the tracing SpanTrace.</item>
/// <item>user-facing-errors (P3018 ApplyMigrationError): "A migration failed to apply. ... Migration name: {name}\n\nDatabase error code: {code}\n\nDatabase error:\n{database_error}\n".</item>
/// <item>sql-schema-connector's postgres flavour (apply_migration_script): database_error = "{DbError}{position}\n\n{DbError:?}",
/// where the position block numbers up to five lines before the failing one and colours it with ANSI codes.</item>
/// <item>tokio-postgres (error/mod.rs): DbError's Display is "{severity}: {message}" with "\nDETAIL: " and "\nHINT: "; its Debug is the derived struct dump.</item>
/// </list>
/// </summary>
public static class PrismaFailureLogs
{
    /// <summary>
    /// The logs for <paramref name="error"/>, raised by the statement that starts at character
    /// <paramref name="statementOffset"/> of <paramref name="script"/> (Prisma sends the whole script
    /// at once, so PostgreSQL's position counts from the script's start).
    /// </summary>
    public static string For(string migrationName, string script, PostgresException error, int statementOffset)
    {
        var position = error.Position > 0 ? statementOffset + error.Position : 0;
        var display = $"{error.Severity}: {error.MessageText}" +
            (error.Detail is null ? string.Empty : $"\nDETAIL: {error.Detail}") +
            (error.Hint is null ? string.Empty : $"\nHINT: {error.Hint}");
        var databaseError = $"{display}{PositionBlock(script, position)}\n\n{Debug(error, position)}";
        var message =
            "A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve " +
            "migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n" +
            $"Migration name: {migrationName}\n\nDatabase error code: {error.SqlState}\n\nDatabase error:\n{databaseError}\n";
        var spanTrace =
            "   0: sql_schema_connector::apply_migration::apply_script\n" +
            $"           with migration_name=\"{migrationName}\"\n" +
            "             at schema-engine/connectors/sql-schema-connector/src/apply_migration.rs:113\n" +
            "   1: schema_commands::commands::apply_migrations::Applying migration\n" +
            $"           with migration_name=\"{migrationName}\"\n" +
            "             at schema-engine/commands/src/commands/apply_migrations.rs:95\n" +
            "   2: schema_core::state::ApplyMigrations\n" +
            "             at schema-engine/core/src/state.rs:260";
        return message + "\n" + spanTrace;
    }

    // Prisma's loop, as written: it counts bytes per line and prints the line numbers of the five lines before.
    private static string PositionBlock(string script, int position)
    {
        if (position <= 0)
        {
            return string.Empty;
        }

        var previous = new[] { string.Empty, string.Empty, string.Empty, string.Empty, string.Empty };
        var byteIndex = 0;
        var lines = RustLines(script);
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index];
            var lineNumber = index + 1;
            byteIndex += Encoding.UTF8.GetByteCount(line) + 1;
            if (position <= byteIndex)
            {
                var numbered = previous
                    .Select((text, at) => (Number: lineNumber - (previous.Length - at), Text: text))
                    .Where(l => l.Number >= 0)
                    .Select(l => $"\u001b[1m{l.Number,3}\u001b[0m{(l.Text.Length == 0 ? string.Empty : " ")}{l.Text}");
                return $"\n\nPosition:\n{string.Join("\n", numbered)}\n\u001b[1m{lineNumber,3}\u001b[1;31m {line}\u001b[0m";
            }

            previous = [previous[1], previous[2], previous[3], previous[4], line];
        }

        return string.Empty;
    }

    // str::lines(): split at \n, drop a \r before it, no empty line after a final \n.
    private static List<string> RustLines(string text)
    {
        var lines = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static string Debug(PostgresException e, int position) =>
        "DbError { " +
        $"severity: {Quoted(e.Severity)}, parsed_severity: Some({Capitalized(e.InvariantSeverity)}), code: SqlState(E{e.SqlState}), " +
        $"message: {Quoted(e.MessageText)}, detail: {Option(e.Detail)}, hint: {Option(e.Hint)}, " +
        $"position: {(position > 0 ? $"Some(Original({position.ToString(CultureInfo.InvariantCulture)}))" : "None")}, where_: {Option(e.Where)}, " +
        $"schema: {Option(e.SchemaName)}, table: {Option(e.TableName)}, column: {Option(e.ColumnName)}, datatype: {Option(e.DataTypeName)}, " +
        $"constraint: {Option(e.ConstraintName)}, file: {Option(e.File)}, " +
        $"line: {(int.TryParse(e.Line, out var line) ? $"Some({line.ToString(CultureInfo.InvariantCulture)})" : "None")}, routine: {Option(e.Routine)} }}";

    private static string Option(string? value) => value is null ? "None" : $"Some({Quoted(value)})";

    // Rust's Debug for str: quotes, with backslash, quote and control characters escaped.
    private static string Quoted(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";

    private static string Capitalized(string severity) => severity.Length == 0 ? severity : severity[..1] + severity[1..].ToLowerInvariant();
}
