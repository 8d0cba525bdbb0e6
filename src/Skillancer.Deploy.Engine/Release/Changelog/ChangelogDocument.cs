using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Skillancer.Deploy.Engine.Release.Changelog;

/// <summary>
/// CHANGELOG.md in the Keep a Changelog layout: renders a release section and puts it in its place,
/// below [Unreleased] and above the older releases, keeping the file's line breaks.
/// </summary>
internal static partial class ChangelogDocument
{
    public const string Header =
        "# Changelog\n\nAll notable changes to this project will be documented in this file.\n\n" +
        "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),\n" +
        "and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n\n## [Unreleased]\n";

    [GeneratedRegex(@"^## ")]
    private static partial Regex AnySection();

    [GeneratedRegex(@"^\[[^\]]+\]:\s")]
    private static partial Regex LinkReference();

    /// <summary>The section's Markdown, with '\n' line breaks and no blank line at either end.</summary>
    public static string Render(string version, DateOnly date, IReadOnlyList<(string Heading, IReadOnlyList<string> Entries)> groups)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"## [{version}] - {date:yyyy-MM-dd}\n");
        var any = false;
        foreach (var (heading, entries) in groups.Where(g => g.Entries.Count > 0))
        {
            any = true;
            text.Append("\n### ").Append(heading).Append("\n\n");
            foreach (var entry in entries)
            {
                text.Append("- ").Append(entry).Append('\n');
            }
        }

        if (!any)
        {
            text.Append("\nNo notable changes.\n");
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>Where the section for <paramref name="version"/> is, as a range of lines, or null.</summary>
    public static (int Start, int End)? FindSection(IReadOnlyList<string> lines, string version)
    {
        var heading = new Regex($@"^## \[?v?{Regex.Escape(version)}\]?(\s|$)");
        var start = IndexOf(lines, 0, l => heading.IsMatch(l));
        if (start < 0)
        {
            return null;
        }

        var end = IndexOf(lines, start + 1, l => AnySection().IsMatch(l) || LinkReference().IsMatch(l));
        end = end < 0 ? lines.Count : end;
        while (end > start + 1 && lines[end - 1].Trim().Length == 0)
        {
            end--;
        }

        return (start, end);
    }

    /// <summary>The file's text with the section inserted, or replacing <paramref name="existing"/>.</summary>
    public static string Insert(string? file, string section, (int Start, int End)? existing)
    {
        var newline = file is not null && file.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = (file ?? Header).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        var sectionLines = section.Split('\n');
        if (existing is { } range)
        {
            lines.RemoveRange(range.Start, range.End - range.Start);
            lines.InsertRange(range.Start, sectionLines);
        }
        else
        {
            var firstRelease = IndexOf(lines, 0, l => AnySection().IsMatch(l) && !l.Contains("Unreleased", StringComparison.OrdinalIgnoreCase));
            var links = IndexOf(lines, 0, l => LinkReference().IsMatch(l));
            var at = firstRelease >= 0 ? firstRelease : links >= 0 ? links : lines.Count;
            while (at > 0 && lines[at - 1].Trim().Length == 0)
            {
                at--;
            }

            lines.InsertRange(at, ["", .. sectionLines, ""]);
        }

        var text = string.Join('\n', lines).TrimEnd('\n') + "\n";
        text = Regex.Replace(text, @"\n{3,}", "\n\n");
        return newline == "\n" ? text : text.Replace("\n", newline, StringComparison.Ordinal);
    }

    private static int IndexOf(IReadOnlyList<string> lines, int from, Func<string, bool> predicate)
    {
        for (var i = from; i < lines.Count; i++)
        {
            if (predicate(lines[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
