namespace Skillancer.Deploy.Engine.Migrations.Sql;

/// <summary>
/// Splits PostgreSQL text into tokens the way the server reads it: comments (nested /* */ too),
/// quoted identifiers, string literals ('' escapes, E'' backslash escapes) and dollar quoting are
/// single tokens, so nothing inside them is ever mistaken for a keyword or a statement end.
/// </summary>
public static class SqlTokenizer
{
    /// <summary>All tokens of <paramref name="sql"/>, trivia included; the texts concatenate back to the input.</summary>
    public static IReadOnlyList<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var (line, column) = (1, 1);
        var i = 0;
        while (i < sql.Length)
        {
            var start = i;
            var kind = Scan(sql, ref i);
            var text = sql[start..i];
            tokens.Add(new SqlToken(kind, text, start, line, column));
            foreach (var c in text)
            {
                if (c == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }
        }

        return tokens;
    }

    private static SqlTokenKind Scan(string s, ref int i)
    {
        var c = s[i];
        if (char.IsWhiteSpace(c))
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            return SqlTokenKind.Whitespace;
        }

        if (c == '-' && Peek(s, i + 1) == '-')
        {
            while (i < s.Length && s[i] != '\n') i++;
            return SqlTokenKind.Comment;
        }

        if (c == '/' && Peek(s, i + 1) == '*')
        {
            ScanBlockComment(s, ref i);
            return SqlTokenKind.Comment;
        }

        if (c == '\'')
        {
            ScanQuoted(s, ref i, '\'', backslashEscapes: false);
            return SqlTokenKind.StringLiteral;
        }

        if ((c is 'E' or 'e') && Peek(s, i + 1) == '\'')
        {
            i++;
            ScanQuoted(s, ref i, '\'', backslashEscapes: true);
            return SqlTokenKind.StringLiteral;
        }

        if ((c is 'B' or 'b' or 'X' or 'x' or 'N' or 'n') && Peek(s, i + 1) == '\'')
        {
            i++;
            ScanQuoted(s, ref i, '\'', backslashEscapes: false);
            return SqlTokenKind.StringLiteral;
        }

        if ((c is 'U' or 'u') && Peek(s, i + 1) == '&' && Peek(s, i + 2) is '\'' or '"')
        {
            i += 2;
            var quote = s[i];
            ScanQuoted(s, ref i, quote, backslashEscapes: false);
            return quote == '"' ? SqlTokenKind.QuotedIdentifier : SqlTokenKind.StringLiteral;
        }

        if (c == '"')
        {
            ScanQuoted(s, ref i, '"', backslashEscapes: false);
            return SqlTokenKind.QuotedIdentifier;
        }

        if (c == '$' && TryDollarTag(s, i, out var tag))
        {
            var end = s.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
            i = end < 0 ? s.Length : end + tag.Length;
            return SqlTokenKind.DollarString;
        }

        if (char.IsLetter(c) || c == '_')
        {
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '$')) i++;
            return SqlTokenKind.Word;
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(s, i + 1))))
        {
            while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '.' or '_' || ((s[i] is '+' or '-') && s[i - 1] is 'e' or 'E'))) i++;
            return SqlTokenKind.Number;
        }

        i++;
        return c == ';' ? SqlTokenKind.Semicolon : SqlTokenKind.Symbol;
    }

    private static char Peek(string s, int i) => i < s.Length ? s[i] : '\0';

    private static void ScanBlockComment(string s, ref int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            if (s[i] == '/' && Peek(s, i + 1) == '*')
            {
                depth++;
                i += 2;
            }
            else if (s[i] == '*' && Peek(s, i + 1) == '/')
            {
                depth--;
                i += 2;
                if (depth == 0) return;
            }
            else
            {
                i++;
            }
        }
    }

    private static void ScanQuoted(string s, ref int i, char quote, bool backslashEscapes)
    {
        i++; // the opening quote
        while (i < s.Length)
        {
            if (backslashEscapes && s[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (s[i] == quote)
            {
                if (Peek(s, i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                i++;
                return;
            }

            i++;
        }
    }

    // $$ or $tag$, where a tag is an identifier that does not start with a digit.
    private static bool TryDollarTag(string s, int i, out string tag)
    {
        var j = i + 1;
        if (j < s.Length && char.IsAsciiDigit(s[j]))
        {
            tag = string.Empty;
            return false;
        }

        while (j < s.Length && (char.IsLetterOrDigit(s[j]) || s[j] == '_')) j++;
        if (j < s.Length && s[j] == '$')
        {
            tag = s[i..(j + 1)];
            return true;
        }

        tag = string.Empty;
        return false;
    }
}
