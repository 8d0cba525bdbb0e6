namespace Skillancer.Deploy.Engine.Migrations.Sql;

/// <summary>What a piece of SQL text is.</summary>
public enum SqlTokenKind
{
    /// <summary>A keyword or an unquoted identifier.</summary>
    Word,
    /// <summary>A "quoted identifier".</summary>
    QuotedIdentifier,
    /// <summary>A 'string', E'string', B'bits', X'hex' or U&amp;'string' literal.</summary>
    StringLiteral,
    /// <summary>A $tag$dollar-quoted$tag$ string.</summary>
    DollarString,
    /// <summary>A number.</summary>
    Number,
    /// <summary>A ; that ends a statement.</summary>
    Semicolon,
    /// <summary>Any other operator or punctuation.</summary>
    Symbol,
    /// <summary>A -- line or /* block */ comment.</summary>
    Comment,
    /// <summary>Spaces and line breaks.</summary>
    Whitespace,
}

/// <summary>One token of SQL, with where it starts (1-based line and column).</summary>
public sealed record SqlToken(SqlTokenKind Kind, string Text, int Offset, int Line, int Column)
{
    /// <summary>True for comments and whitespace, which never change what a statement means.</summary>
    public bool IsTrivia => Kind is SqlTokenKind.Comment or SqlTokenKind.Whitespace;

    /// <summary>True when this is the keyword or unquoted identifier <paramref name="word"/> (any case).</summary>
    public bool Is(string word) => Kind == SqlTokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

    /// <summary>The identifier's name: unquoted ones fold to lower case, quoted ones keep their case.</summary>
    public string Identifier => Kind == SqlTokenKind.QuotedIdentifier
        ? Text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal)
        : Text.ToLowerInvariant();
}
