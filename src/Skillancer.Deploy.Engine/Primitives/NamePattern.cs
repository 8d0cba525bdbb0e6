using System.Text;
using System.Text.RegularExpressions;

namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// A name or a PowerShell wildcard (<c>*</c>, <c>?</c>, <c>[a-c]</c>, a backtick escapes the next
/// character), matched without regard to case, as the cmdlets' -Name parameters promise. The engine
/// has no PowerShell reference, so WildcardPattern is not at hand.
/// </summary>
public sealed class NamePattern
{
    private readonly Regex _regex;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    public NamePattern(string pattern)
    {
        Text = pattern;
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[' when pattern.IndexOf(']', i + 1) is var end and > 0:
                    regex.Append('[').Append(pattern[(i + 1)..end].Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        _regex = new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>True when <paramref name="text"/> holds a wildcard (<c>*</c>, <c>?</c> or <c>[</c>) that no backtick escapes.</summary>
    public static bool HasWildcard(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '`':
                    i++;
                    break;
                case '*' or '?' or '[':
                    return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="name"/> matches.</summary>
    public bool IsMatch(string name) => _regex.IsMatch(name);
}
