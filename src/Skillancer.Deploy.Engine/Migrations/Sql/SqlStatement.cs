namespace Skillancer.Deploy.Engine.Migrations.Sql;

/// <summary>One statement of a script: its text (without the ';') and its meaningful tokens.</summary>
public sealed record SqlStatement(string Text, IReadOnlyList<SqlToken> Tokens, int Line, int Column)
{
    /// <summary>True when the statement's words, in order from its start, are <paramref name="words"/>.</summary>
    public bool StartsWith(params string[] words) =>
        words.Length <= Tokens.Count && words.Select((w, i) => Tokens[i].Is(w)).All(match => match);

    /// <summary>The index of the first token that is the word <paramref name="word"/>, at or after <paramref name="from"/>, or -1.</summary>
    public int IndexOf(string word, int from = 0)
    {
        for (var i = from; i < Tokens.Count; i++)
        {
            if (Tokens[i].Is(word))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when any token is the word <paramref name="word"/>.</summary>
    public bool Contains(string word) => IndexOf(word) >= 0;

    /// <summary>The first line of the statement, for messages.</summary>
    public string Summary
    {
        get
        {
            var first = Text.Split('\n')[0].Trim();
            return first.Length > 120 ? first[..117] + "..." : first;
        }
    }
}
