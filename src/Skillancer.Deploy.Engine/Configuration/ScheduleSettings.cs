namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>When deployments may happen: the runbook's "Deployment Schedule".</summary>
public sealed record ScheduleSettings(
    TimeZoneInfo TimeZone,
    IReadOnlyList<DeploymentWindow> Windows,
    IReadOnlyList<DayOfWeek> AvoidDays,
    string? HolidayCountry,
    IReadOnlyList<Blackout> Blackouts)
{
    /// <summary>The runbook's schedule: Tuesday and Wednesday 14–18 UTC, Thursday 14–16 UTC; never Friday, Monday or a US holiday.</summary>
    public static ScheduleSettings Runbook { get; } = new(
        TimeZoneInfo.Utc,
        [
            new(DayOfWeek.Tuesday, new TimeOnly(14, 0), new TimeOnly(18, 0)),
            new(DayOfWeek.Wednesday, new TimeOnly(14, 0), new TimeOnly(18, 0)),
            new(DayOfWeek.Thursday, new TimeOnly(14, 0), new TimeOnly(16, 0)),
        ],
        [DayOfWeek.Friday, DayOfWeek.Monday],
        "US",
        []);
}

/// <summary>A weekly window in the schedule's time zone, e.g. Tuesday 14:00–18:00.</summary>
public sealed record DeploymentWindow(DayOfWeek Day, TimeOnly Start, TimeOnly End)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Day} {Start:HH\\:mm}-{End:HH\\:mm}";
}

/// <summary>A period with no deployments, such as a marketing campaign or a freeze. Both ends are included.</summary>
public sealed record Blackout(string Name, DateTimeOffset Start, DateTimeOffset End);
