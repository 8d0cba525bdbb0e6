using Skillancer.Deploy.Engine.Migrations.Sql;

namespace Skillancer.Deploy.Engine.Migrations.Safety;

/// <summary>Reads the parts of a statement that the safety rules look at: table names, ALTER TABLE actions, top-level WHERE.</summary>
internal static class StatementShape
{
    /// <summary>The name (last part, folded as PostgreSQL folds it) of the qualified name starting at <paramref name="index"/>, and the index after it.</summary>
    public static (string? Name, int Next) QualifiedName(IReadOnlyList<SqlToken> tokens, int index)
    {
        string? name = null;
        while (index < tokens.Count && tokens[index].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            name = tokens[index].Identifier;
            index++;
            if (index < tokens.Count && tokens[index].Text == ".")
            {
                index++;
                continue;
            }

            break;
        }

        return (name, index);
    }

    /// <summary>Skips the words at <paramref name="index"/> if they are exactly <paramref name="words"/>.</summary>
    public static int Skip(IReadOnlyList<SqlToken> tokens, int index, params string[] words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            if (index + i >= tokens.Count || !tokens[index + i].Is(words[i]))
            {
                return index;
            }
        }

        return index + words.Length;
    }

    /// <summary>The table an ALTER TABLE changes, and where its actions start.</summary>
    public static (string? Table, int ActionsStart) AlterTable(SqlStatement statement)
    {
        var index = Skip(statement.Tokens, 2, "IF", "EXISTS");
        index = Skip(statement.Tokens, index, "ONLY");
        var (name, next) = QualifiedName(statement.Tokens, index);
        return (name, next < statement.Tokens.Count && statement.Tokens[next].Text == "*" ? next + 1 : next);
    }

    /// <summary>The comma-separated actions of an ALTER TABLE, each a run of tokens.</summary>
    public static IEnumerable<IReadOnlyList<SqlToken>> Actions(IReadOnlyList<SqlToken> tokens, int start)
    {
        var depth = 0;
        var action = new List<SqlToken>();
        for (var i = start; i < tokens.Count; i++)
        {
            var token = tokens[i];
            depth += token.Text switch { "(" => 1, ")" => -1, _ => 0 };
            if (depth == 0 && token.Text == ",")
            {
                yield return action;
                action = [];
                continue;
            }

            action.Add(token);
        }

        if (action.Count > 0)
        {
            yield return action;
        }
    }

    /// <summary>True when the statement has the word at the top level (not inside parentheses).</summary>
    public static bool HasTopLevel(SqlStatement statement, string word)
    {
        var depth = 0;
        foreach (var token in statement.Tokens)
        {
            depth += token.Text switch { "(" => 1, ")" => -1, _ => 0 };
            if (depth == 0 && token.Is(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when any token of <paramref name="tokens"/> is one of <paramref name="words"/>.</summary>
    public static bool Any(IEnumerable<SqlToken> tokens, params string[] words) => tokens.Any(t => words.Any(t.Is));
}
