namespace Skillancer.Deploy.Engine.Migrations.Schema;

/// <summary>
/// One -Table value of Get-SkDatabaseSchema: a name (matched without regard to case) or a pattern whose
/// matching the caller supplies, so that PowerShell's own wildcard rules apply. A name that matches no
/// table is an error; a pattern that matches none is not, as with PowerShell's own cmdlets.
/// </summary>
public sealed class TableFilter
{
    private readonly Func<string, bool> _matches;

    private TableFilter(string text, bool isPattern, Func<string, bool> matches)
    {
        Text = text;
        IsPattern = isPattern;
        _matches = matches;
    }

    /// <summary>The value as given.</summary>
    public string Text { get; }

    /// <summary>True for a wildcard pattern.</summary>
    public bool IsPattern { get; }

    /// <summary>A table name, matched without regard to case.</summary>
    public static TableFilter Named(string name) => new(name, isPattern: false, table => string.Equals(table, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A pattern, with the caller's matcher.</summary>
    public static TableFilter Pattern(string pattern, Func<string, bool> matches) => new(pattern, isPattern: true, matches);

    /// <summary>Whether <paramref name="table"/> is selected.</summary>
    public bool Matches(string table) => _matches(table);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
