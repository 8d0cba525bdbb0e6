using Skillancer.Deploy.Engine.Migrations.Sql;
using static Skillancer.Deploy.Engine.Migrations.Safety.StatementShape;

namespace Skillancer.Deploy.Engine.Migrations.Safety;

/// <summary>
/// The runbook's Migration Safety Checklist as a linter: backward compatibility, destructive
/// changes, concurrent indexes and large tables. It reads SQL with the tokenizer, so words inside
/// strings, comments and dollar-quoted bodies never count.
/// </summary>
public static class MigrationLinter
{
    /// <summary>The findings of one script. Tables it creates itself are exempt from the lock rules.</summary>
    public static IReadOnlyList<SafetyFinding> Lint(string file, string sql, IReadOnlyCollection<string>? largeTables = null)
    {
        var large = new HashSet<string>(largeTables ?? [], StringComparer.OrdinalIgnoreCase);
        var createdHere = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var findings = new List<SafetyFinding>();
        foreach (var statement in SqlScript.Split(sql.TrimStart('\uFEFF')))
        {
            void Report(SafetyRule rule, SqlToken at) =>
                findings.Add(new SafetyFinding(rule.Id, rule.Severity, file, at.Line, at.Column, statement.Summary, rule.Message, rule.Fix));

            var tokens = statement.Tokens;
            if (statement.StartsWith("CREATE", "TABLE") || statement.StartsWith("CREATE", "UNLOGGED", "TABLE"))
            {
                var index = Skip(tokens, statement.IndexOf("TABLE") + 1, "IF", "NOT", "EXISTS");
                if (QualifiedName(tokens, index).Name is { } created)
                {
                    createdHere.Add(created);
                }
            }
            else if (statement.StartsWith("DROP", "TABLE"))
            {
                Report(SafetyRule.DropTable, tokens[0]);
            }
            else if (statement.StartsWith("ALTER", "TABLE"))
            {
                LintAlterTable(statement, createdHere, large, Report);
            }
            else if (statement.StartsWith("CREATE", "INDEX") || statement.StartsWith("CREATE", "UNIQUE", "INDEX"))
            {
                var on = statement.IndexOf("ON");
                var table = on < 0 ? null : QualifiedName(tokens, Skip(tokens, on + 1, "ONLY")).Name;
                if (!statement.Contains("CONCURRENTLY") && (table is null || !createdHere.Contains(table)))
                {
                    Report(SafetyRule.IndexNotConcurrent, tokens[0]);
                }

                ReportLarge(table, tokens[0]);
            }
            else if (statement.StartsWith("TRUNCATE"))
            {
                Report(SafetyRule.Truncate, tokens[0]);
            }
            else if (statement.StartsWith("DELETE", "FROM"))
            {
                if (!HasTopLevel(statement, "WHERE"))
                {
                    Report(SafetyRule.DeleteWithoutWhere, tokens[0]);
                }

                ReportLarge(QualifiedName(tokens, Skip(tokens, 2, "ONLY")).Name, tokens[0]);
            }
            else if (statement.StartsWith("UPDATE"))
            {
                if (!HasTopLevel(statement, "WHERE"))
                {
                    Report(SafetyRule.UpdateWithoutWhere, tokens[0]);
                }

                ReportLarge(QualifiedName(tokens, Skip(tokens, 1, "ONLY")).Name, tokens[0]);
            }

            void ReportLarge(string? table, SqlToken at)
            {
                if (table is not null && large.Contains(table) && !createdHere.Contains(table))
                {
                    Report(SafetyRule.LargeTable, at);
                }
            }
        }

        return findings;
    }

    private static void LintAlterTable(SqlStatement statement, HashSet<string> createdHere, HashSet<string> large, Action<SafetyRule, SqlToken> report)
    {
        var (table, start) = AlterTable(statement);
        var isNew = table is not null && createdHere.Contains(table);
        if (table is not null && large.Contains(table) && !isNew)
        {
            report(SafetyRule.LargeTable, statement.Tokens[0]);
        }

        foreach (var action in Actions(statement.Tokens, start))
        {
            if (action.Count == 0)
            {
                continue;
            }

            var verb = action[0];
            if (verb.Is("DROP") && !(action.Count > 1 && action[1].Is("CONSTRAINT")) && !IsColumnDefaultOrNotNull(action))
            {
                report(SafetyRule.DropColumn, verb);
            }
            else if (verb.Is("RENAME") && !(action.Count > 1 && action[1].Is("CONSTRAINT")))
            {
                report(SafetyRule.Rename, verb);
            }
            else if (verb.Is("ALTER") && Any(action, "TYPE") && !isNew)
            {
                report(SafetyRule.AlterColumnType, verb);
            }
            else if (verb.Is("ALTER") && IsSetNotNull(action) && !isNew)
            {
                report(SafetyRule.SetNotNull, verb);
            }
            else if (verb.Is("ADD"))
            {
                LintAdd(action, isNew, report);
            }
        }
    }

    private static void LintAdd(IReadOnlyList<SqlToken> action, bool isNew, Action<SafetyRule, SqlToken> report)
    {
        var addsConstraint = action.Count > 1 && (action[1].Is("CONSTRAINT") || action[1].Is("FOREIGN") || action[1].Is("CHECK")
            || action[1].Is("PRIMARY") || action[1].Is("UNIQUE") || action[1].Is("EXCLUDE"));
        var validates = Any(action, "FOREIGN", "REFERENCES", "CHECK") && !ContainsSequence(action, "NOT", "VALID");
        if (validates && !isNew)
        {
            report(SafetyRule.ConstraintNotValid, action[0]);
        }

        if (!addsConstraint && ContainsSequence(action, "NOT", "NULL") && !Any(action, "DEFAULT", "GENERATED") && !isNew)
        {
            report(SafetyRule.AddRequiredColumn, action[0]);
        }
    }

    // ALTER TABLE t DROP ... only drops a column when it is not "ALTER COLUMN c DROP DEFAULT/NOT NULL" (those start with ALTER).
    private static bool IsColumnDefaultOrNotNull(IReadOnlyList<SqlToken> action) =>
        action.Count > 1 && (action[1].Is("DEFAULT") || action[1].Is("NOT") || action[1].Is("IDENTITY") || action[1].Is("EXPRESSION"));

    private static bool IsSetNotNull(IReadOnlyList<SqlToken> action)
    {
        for (var i = 0; i + 2 < action.Count; i++)
        {
            if (action[i].Is("SET") && action[i + 1].Is("NOT") && action[i + 2].Is("NULL"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsSequence(IReadOnlyList<SqlToken> tokens, string first, string second)
    {
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Is(first) && tokens[i + 1].Is(second))
            {
                return true;
            }
        }

        return false;
    }
}
