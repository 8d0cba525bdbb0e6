using System.Globalization;
using System.Text;

namespace Skillancer.Deploy;

/// <summary>Text for the custom views (DeploymentRunView, CanaryRunView): columns that fit, and words wrapped so that nothing reaches the 80th column.</summary>
public static class ViewText
{
    /// <summary>The widest line: a console 80 wide wraps a line that fills all 80 columns.</summary>
    public const int Width = 79;

    /// <summary>The text in exactly <paramref name="width"/> columns: padded, or cut with an ellipsis.</summary>
    public static string Fit(string text, int width) => text.Length <= width ? text.PadRight(width) : text[..(width - 1)] + "…";

    /// <summary>A duration as a view shows it: 4.2s, or 3m05s.</summary>
    public static string Took(TimeSpan duration) =>
        duration < TimeSpan.FromMinutes(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s");

    /// <summary>Words onto lines of at most 80 columns; lines after the first start at column <paramref name="indent"/>.</summary>
    public static void Wrap(StringBuilder text, string words, int indent)
    {
        var room = Width - indent;
        var line = new StringBuilder();
        var first = true;
        foreach (var word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var piece = word;
            while (piece.Length > room)
            {
                Flush(text, line, ref first, indent);
                line.Append(piece[..room]);
                piece = piece[room..];
            }

            if (line.Length > 0 && line.Length + 1 + piece.Length > room)
            {
                Flush(text, line, ref first, indent);
            }

            line.Append(line.Length > 0 ? " " : "").Append(piece);
        }

        Flush(text, line, ref first, indent);
    }

    private static void Flush(StringBuilder text, StringBuilder line, ref bool first, int indent)
    {
        if (line.Length == 0 && !first)
        {
            return;
        }

        text.Append(first ? "" : new string(' ', indent)).AppendLine(line.ToString());
        line.Clear();
        first = false;
    }
}
