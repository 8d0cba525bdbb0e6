using System.Text.RegularExpressions;

namespace Skillancer.Deploy.Engine.Release.Changelog;

/// <summary>A commit message in the Conventional Commits form: <c>type(scope)!: description</c>, with an optional BREAKING CHANGE footer.</summary>
internal sealed partial record ConventionalCommit(string Sha, string Type, string? Scope, string Description, string? BreakingNote)
{
    [GeneratedRegex(@"^(?<type>[A-Za-z]+)(?:\((?<scope>[^()\r\n]*)\))?(?<bang>!)?:\s+(?<description>\S.*)$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^BREAKING[ -]CHANGE:\s*(?<note>.*)$", RegexOptions.Multiline)]
    private static partial Regex BreakingFooter();

    [GeneratedRegex(@"^[A-Za-z-]+(: | #)")]
    private static partial Regex AnyFooter();

    public bool IsBreaking => BreakingNote is not null;

    /// <summary>The commit as a conventional commit, or null when its subject does not follow the form.</summary>
    public static ConventionalCommit? Parse(string sha, string subject, string body)
    {
        var header = Header().Match(subject.Trim());
        if (!header.Success)
        {
            return null;
        }

        var description = header.Groups["description"].Value.Trim();
        var normalized = body.Replace("\r\n", "\n", StringComparison.Ordinal);
        var footer = BreakingFooter().Match(normalized);
        string? breaking = null;
        if (footer.Success)
        {
            // The note runs on over the following lines, to a blank line or the next footer.
            var continuation = normalized[(footer.Index + footer.Length)..].Split("\n\n")[0]
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .TakeWhile(line => !AnyFooter().IsMatch(line))
                .Select(line => line.Trim());
            breaking = string.Join(' ', continuation.Prepend(footer.Groups["note"].Value.Trim())).Trim();
            breaking = breaking.Length == 0 ? description : breaking;
        }
        else if (header.Groups["bang"].Success)
        {
            breaking = description;
        }

        var scope = header.Groups["scope"].Success && header.Groups["scope"].Value.Trim().Length > 0 ? header.Groups["scope"].Value.Trim() : null;
        return new ConventionalCommit(sha, header.Groups["type"].Value.ToLowerInvariant(), scope, description, breaking);
    }

    /// <summary>A changelog line: <c>**scope:** text (abc1234)</c>.</summary>
    public string Entry(string text) => $"{(Scope is null ? string.Empty : $"**{Scope}:** ")}{text} ({Sha[..Math.Min(7, Sha.Length)]})";
}
