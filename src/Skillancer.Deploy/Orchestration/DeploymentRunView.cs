using System.Globalization;
using System.Text;
using Skillancer.Deploy.Engine.Orchestration.Deployment;

namespace Skillancer.Deploy.Orchestration;

/// <summary>
/// DeploymentRun's default view (Skillancer.Deploy.Format.ps1xml calls it): a heading, who and when, then one line per
/// step (name, status, time, detail), the detail wrapped under itself so that nothing reaches the 80th column.
/// </summary>
public static class DeploymentRunView
{
    private const int Width = 79;   // a console 80 wide wraps a line that fills all 80 columns
    private const int NameWidth = 27;
    private const int StatusWidth = 9;
    private const int TookWidth = 6;

    /// <summary>The run as text, at most 80 columns wide.</summary>
    public static string Render(DeploymentRun run)
    {
        var text = new StringBuilder();
        var heading = run.WhatIf
            ? $"Plan (-WhatIf) of {run.Version} to {run.Environment}: nothing was changed"
            : $"Deployment {run.Version} to {run.Environment}: {run.Status}, record {run.Id}";
        Wrap(text, heading, 0);
        if (!run.WhatIf)
        {
            var who = $"By {run.By}{(run.ApprovedBy.Count == 0 ? "" : $", approved by {string.Join(", ", run.ApprovedBy)}")}, " +
                $"started {run.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, took {Took(run.Duration)}" +
                (run.EmergencyReason is null ? "." : $". Emergency: {run.EmergencyReason}.");
            Wrap(text, who, 0);
        }

        foreach (var note in run.Notes)
        {
            Wrap(text, note, 0);
        }

        text.AppendLine();
        text.Append("Step".PadRight(NameWidth)).Append(' ').Append("Status".PadRight(StatusWidth)).Append(' ').Append("Took".PadLeft(TookWidth)).Append(' ').AppendLine("Detail");
        text.Append(new string('-', 4).PadRight(NameWidth)).Append(' ').Append(new string('-', 6).PadRight(StatusWidth)).Append(' ').Append(new string('-', 4).PadLeft(TookWidth)).Append(' ').AppendLine(new string('-', 6));
        foreach (var step in run.Steps)
        {
            var name = (step.Undo ? "↩ " : "") + step.Name;
            text.Append(Fit(name, NameWidth)).Append(' ')
                .Append(step.Status.ToString().PadRight(StatusWidth)).Append(' ')
                .Append((run.WhatIf ? "" : Took(step.Duration)).PadLeft(TookWidth)).Append(' ');
            Wrap(text, step.Detail, NameWidth + StatusWidth + TookWidth + 3);
        }

        return text.ToString().TrimEnd();
    }

    private static string Fit(string text, int width) => text.Length <= width ? text.PadRight(width) : text[..(width - 1)] + "…";

    private static string Took(TimeSpan duration) =>
        duration < TimeSpan.FromMinutes(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s");

    // Words onto lines of at most 80 columns; lines after the first start at column indent.
    private static void Wrap(StringBuilder text, string words, int indent)
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
