namespace Skillancer.Deploy.Engine.Migrations.Sql;

/// <summary>
/// A SQL script split into statements at the semicolons that end them — never at one inside a
/// string, comment or dollar-quoted body, nor inside a BEGIN ATOMIC ... END function body.
/// </summary>
public static class SqlScript
{
    /// <summary>The statements of <paramref name="sql"/>; empty statements (a lone ';' or only comments) are dropped.</summary>
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        var current = new List<SqlToken>();
        var atomicDepth = 0;
        SqlToken? previous = null;
        foreach (var token in SqlTokenizer.Tokenize(sql))
        {
            if (token.Kind == SqlTokenKind.Semicolon && atomicDepth == 0)
            {
                Flush(sql, current, statements);
                previous = null;
                continue;
            }

            current.Add(token);
            if (token.IsTrivia)
            {
                continue;
            }

            var before = previous;
            previous = token;
            if (token.Is("ATOMIC") && before is not null && before.Is("BEGIN"))
            {
                atomicDepth++;
            }
            else if (atomicDepth > 0 && token.Is("CASE"))
            {
                atomicDepth++; // CASE ... END inside the body closes with an END too
            }
            else if (atomicDepth > 0 && token.Is("END"))
            {
                atomicDepth--;
            }
        }

        Flush(sql, current, statements);
        return statements;
    }

    private static void Flush(string sql, List<SqlToken> tokens, List<SqlStatement> statements)
    {
        var meaningful = tokens.Where(t => !t.IsTrivia).ToList();
        if (meaningful.Count > 0)
        {
            var first = meaningful[0];
            var last = meaningful[^1];
            var text = sql[first.Offset..(last.Offset + last.Text.Length)];
            statements.Add(new SqlStatement(text, meaningful, first.Line, first.Column));
        }

        tokens.Clear();
    }
}
