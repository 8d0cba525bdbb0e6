using System.Text.RegularExpressions;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>The fenced code blocks of one section of README.md, so that tests hold the documentation to the code.</summary>
public static partial class ReadmeBlocks
{
    /// <summary>
    /// The blocks of <paramref name="language"/> under the heading <paramref name="heading"/> (any level),
    /// up to the next heading of the same or a higher level, in order.
    /// </summary>
    public static IReadOnlyList<string> In(string heading, string language)
    {
        var lines = File.ReadAllLines(Path.Join(RepositoryFiles.Root, "README.md"));
        var start = Array.FindIndex(lines, l => Heading().Match(l) is { Success: true } m && m.Groups[2].Value == heading);
        Assert.True(start >= 0, $"README.md has no heading '{heading}'");
        var level = Heading().Match(lines[start]).Groups[1].Length;
        var blocks = new List<string>();
        List<string>? block = null;
        for (var i = start + 1; i < lines.Length; i++)
        {
            if (block is null && Heading().Match(lines[i]) is { Success: true } next && next.Groups[1].Length <= level)
            {
                break;
            }

            if (block is null && lines[i] == "```" + language)
            {
                block = [];
            }
            else if (block is not null && lines[i] == "```")
            {
                blocks.Add(string.Join('\n', block) + "\n");
                block = null;
            }
            else
            {
                block?.Add(lines[i]);
            }
        }

        return blocks;
    }

    [GeneratedRegex(@"^(#{1,6}) (.+?)\s*$")]
    private static partial Regex Heading();
}
