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
        ViewText.Wrap(text, heading, 0);
        if (!run.WhatIf)
        {
            var who = $"By {run.By}{(run.ApprovedBy.Count == 0 ? "" : $", approved by {string.Join(", ", run.ApprovedBy)}")}, " +
                $"started {run.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, took {ViewText.Took(run.Duration)}" +
                (run.EmergencyReason is null ? "." : $". Emergency: {run.EmergencyReason}.");
            ViewText.Wrap(text, who, 0);
        }

        foreach (var note in run.Notes)
        {
            ViewText.Wrap(text, note, 0);
        }

        text.AppendLine();
        text.Append("Step".PadRight(NameWidth)).Append(' ').Append("Status".PadRight(StatusWidth)).Append(' ').Append("Took".PadLeft(TookWidth)).Append(' ').AppendLine("Detail");
        text.Append(new string('-', 4).PadRight(NameWidth)).Append(' ').Append(new string('-', 6).PadRight(StatusWidth)).Append(' ').Append(new string('-', 4).PadLeft(TookWidth)).Append(' ').AppendLine(new string('-', 6));
        foreach (var step in run.Steps)
        {
            var name = (step.Undo ? "↩ " : "") + step.Name;
            text.Append(ViewText.Fit(name, NameWidth)).Append(' ')
                .Append(step.Status.ToString().PadRight(StatusWidth)).Append(' ')
                .Append((run.WhatIf ? "" : ViewText.Took(step.Duration)).PadLeft(TookWidth)).Append(' ');
            ViewText.Wrap(text, step.Detail, NameWidth + StatusWidth + TookWidth + 3);
        }

        return text.ToString().TrimEnd();
    }
}
