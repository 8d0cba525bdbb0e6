using System.Globalization;
using Skillancer.Deploy.Engine.Configuration;

namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>The runbook's alert thresholds applied to a rate, and the runbook's words for each level.</summary>
public static class ErrorRateJudge
{
    /// <summary>The level of <paramref name="rate"/> ("Error rate &gt; 1%: Investigate"): strictly above a threshold counts.</summary>
    public static (ErrorRateLevel Level, double Threshold) Judge(double rate, ErrorRateThresholds thresholds) =>
        rate > thresholds.ImmediateRollback ? (ErrorRateLevel.ImmediateRollback, thresholds.ImmediateRollback)
        : rate > thresholds.ConsiderRollback ? (ErrorRateLevel.ConsiderRollback, thresholds.ConsiderRollback)
        : rate > thresholds.Investigate ? (ErrorRateLevel.Investigate, thresholds.Investigate)
        : (ErrorRateLevel.Ok, thresholds.Investigate);

    /// <summary>The runbook's instruction for a level, with the configured threshold: "Error rate &gt; 5%: Consider rollback".</summary>
    public static string RunbookLine(ErrorRateLevel level, ErrorRateThresholds thresholds) => level switch
    {
        ErrorRateLevel.Investigate => $"Error rate > {Percent(thresholds.Investigate)}: Investigate",
        ErrorRateLevel.ConsiderRollback => $"Error rate > {Percent(thresholds.ConsiderRollback)}: Consider rollback",
        ErrorRateLevel.ImmediateRollback => $"Error rate > {Percent(thresholds.ImmediateRollback)}: Immediate rollback",
        _ => string.Empty,
    };

    /// <summary>A fraction as a percent for people: 0.0123 is "1.23%".</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
