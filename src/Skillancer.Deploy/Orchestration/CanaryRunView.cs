using System.Globalization;
using System.Text;
using Skillancer.Deploy.Engine.Orchestration.Canary;

namespace Skillancer.Deploy.Orchestration;

/// <summary>
/// CanaryRun's default view (Skillancer.Deploy.Format.ps1xml calls it): a heading, how it ended and why, then one line
/// per analysis (time, step, weight, the canary's and stable's error ratio and p95, the p-value, the verdict), within
/// 80 columns.
/// </summary>
public static class CanaryRunView
{
    /// <summary>The run as text, at most 80 columns wide.</summary>
    public static string Render(CanaryRun run)
    {
        var text = new StringBuilder();
        ViewText.Wrap(text, $"Canary {run.Service} {run.Version} in {run.Environment}: {run.Outcome}, record {run.Id}", 0);
        ViewText.Wrap(text, string.Create(CultureInfo.InvariantCulture,
            $"Started {run.Started.UtcDateTime:yyyy-MM-dd HH:mm} UTC, took {ViewText.Took(run.Duration)}; stable was {run.StableImage}."), 0);
        ViewText.Wrap(text, run.Reason, 0);
        foreach (var note in run.Notes)
        {
            ViewText.Wrap(text, note, 0);
        }

        text.AppendLine();
        text.AppendLine("Time     Step Weight  Canary  Stable CanaryP95 StableP95      P Verdict");
        text.AppendLine("----     ---- ------  ------  ------ --------- ---------      - -------");
        foreach (var sample in run.Samples)
        {
            text.AppendLine(Row(sample));
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>One analysis as a line of the view: the same columns as CanarySample's own table.</summary>
    public static string Row(CanarySample sample) => string.Create(CultureInfo.InvariantCulture,
        $"{sample.Timestamp.UtcDateTime:HH:mm:ss} {sample.Step,4} {sample.Weight,5}% {Percent(sample.CanaryErrorRatio),7} {Percent(sample.StableErrorRatio),7} {Millis(sample.CanaryP95),9} {Millis(sample.StableP95),9} {PValue(sample.PValue),6} {sample.Verdict}");

    /// <summary>An error ratio as the views show it: 0.48%, or - without data.</summary>
    public static string Percent(double? ratio) => ratio is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r * 100:0.00}%") : "-";

    /// <summary>A latency in seconds as the views show it: 281ms, or - without a histogram.</summary>
    public static string Millis(double? seconds) => seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s * 1000:0}ms") : "-";

    /// <summary>A p-value as the views show it: .0040, &lt;.0001, or - when not tested.</summary>
    public static string PValue(double? p) => p switch
    {
        null => "-",
        < 0.0001 => "<.0001",
        var v => v.Value.ToString("0.0000", CultureInfo.InvariantCulture).TrimStart('0'),
    };
}
