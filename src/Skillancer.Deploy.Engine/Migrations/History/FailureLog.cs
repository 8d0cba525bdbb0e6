using System.Globalization;
using System.Text.RegularExpressions;

namespace Skillancer.Deploy.Engine.Migrations.History;

/// <summary>
/// The database error inside the <c>logs</c> of a failed _prisma_migrations row. Prisma's schema
/// engine writes its P3018 message there: a preamble, "Migration name: ...", "Database error code:
/// 42P01", "Database error:" and the server's error ("ERROR: relation ... does not exist", with DETAIL
/// and HINT lines), on PostgreSQL a "Position:" excerpt of the script whose last line is the failing
/// one (in ANSI colours), tokio-postgres's <c>DbError { ... }</c> dump, and finally a tracing
/// backtrace ("0: sql_schema_connector::apply_migration::apply_script ... at schema-engine/...rs:113").
/// Invoke-SkMigration writes the code, the error and "Statement at line N: ...". Older Prisma versions
/// prefixed the error with "db error: " or "Error querying the database: ".
/// </summary>
/// <param name="Code">The SQLSTATE, e.g. 42P01; null when none was recorded.</param>
/// <param name="Message">The server's error, e.g. <c>ERROR: relation "Job" does not exist</c>, with its DETAIL and HINT.</param>
/// <param name="Line">The script line the error points at, when the logs say.</param>
public sealed partial record FailureLog(string? Code, string Message, int? Line)
{
    private const int MaxMessageLength = 400;

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"^\s*Database error code:\s*(?<code>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CodeLine();

    [GeneratedRegex(@"^Statement at line (?<line>\d+):", RegexOptions.Multiline)]
    private static partial Regex StatementLine();

    [GeneratedRegex(@"^\s*(?<line>\d+)(\s|$)")]
    private static partial Regex NumberedLine();

    // A tracing backtrace frame, its "with ..." fields and "at file:line", and tokio-postgres's debug dump.
    [GeneratedRegex(@"^\s*(\d+: \S|at \S+:\d+\s*$|with \w+=)|^DbError \{")]
    private static partial Regex Noise();

    /// <summary>Reads the error out of a row's logs; null when the logs are empty.</summary>
    public static FailureLog? Parse(string? logs)
    {
        if (string.IsNullOrWhiteSpace(logs))
        {
            return null;
        }

        var lines = Readable(logs).Split('\n');
        var code = CodeLine().Match(string.Join('\n', lines)) is { Success: true } match && match.Groups["code"].Value != "none"
            ? match.Groups["code"].Value
            : null;
        var message = DatabaseError(lines) ?? FirstMeaningfulLine(lines);
        return message is null && code is null ? null : new FailureLog(code, Shorten(message ?? "no message was recorded"), LineOf(lines));
    }

    /// <summary>The logs as a terminal should show them: without Prisma's ANSI colour codes.</summary>
    public static string Readable(string logs) => AnsiEscape().Replace(logs, string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();

    /// <summary>The code, the line and the message in one phrase: <c>42P01 at line 3: ERROR: relation "Job" does not exist</c>.</summary>
    public override string ToString() =>
        $"{Code ?? "error"}{(Line is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" at line {Line}"))}: {Message}";

    // The first line after "Database error:", with the DETAIL and HINT lines that follow it.
    private static string? DatabaseError(string[] lines)
    {
        var header = Array.FindIndex(lines, l => l.Trim() == "Database error:");
        if (header < 0)
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var line in lines.Skip(header + 1).SkipWhile(string.IsNullOrWhiteSpace))
        {
            var text = line.Trim();
            if (parts.Count > 0 && !(text.StartsWith("DETAIL:", StringComparison.Ordinal) || text.StartsWith("HINT:", StringComparison.Ordinal)))
            {
                break;
            }

            parts.Add(parts.Count == 0 ? WithoutPrefixes(text) : text);
        }

        return parts.Count == 0 ? null : string.Join(' ', parts);
    }

    // Logs in no known shape: the first line that is neither Prisma's preamble nor a backtrace.
    private static string? FirstMeaningfulLine(string[] lines) =>
        lines.Select(l => l.Trim())
            .Where(l => l.Length > 0 && !Noise().IsMatch(l) && !l.StartsWith("A migration failed to apply", StringComparison.Ordinal)
                && !l.StartsWith("Migration name:", StringComparison.Ordinal) && !CodeLine().IsMatch(l))
            .Select(WithoutPrefixes)
            .FirstOrDefault();

    // Prisma's "Position:" block ends with the failing line; Invoke-SkMigration names the statement's line.
    private static int? LineOf(string[] lines)
    {
        var position = Array.FindIndex(lines, l => l.Trim() == "Position:");
        if (position >= 0)
        {
            var last = lines.Skip(position + 1).TakeWhile(l => !string.IsNullOrWhiteSpace(l)).LastOrDefault();
            if (last is not null && NumberedLine().Match(last) is { Success: true } numbered)
            {
                return int.Parse(numbered.Groups["line"].Value, CultureInfo.InvariantCulture);
            }
        }

        var statement = StatementLine().Match(string.Join('\n', lines));
        return statement.Success ? int.Parse(statement.Groups["line"].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string WithoutPrefixes(string text)
    {
        foreach (var prefix in new[] { "Error querying the database: ", "db error: " })
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                text = text[prefix.Length..];
            }
        }

        return text;
    }

    private static string Shorten(string text) => text.Length <= MaxMessageLength ? text : text[..(MaxMessageLength - 1)] + "…";
}
