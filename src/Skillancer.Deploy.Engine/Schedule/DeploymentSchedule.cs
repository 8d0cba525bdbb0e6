using System.Globalization;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Policy;

namespace Skillancer.Deploy.Engine.Schedule;

/// <summary>
/// The runbook's "Deployment Schedule": weekly windows, avoided days, public holidays and
/// blackouts, all read in the schedule's time zone.
/// </summary>
public sealed class DeploymentSchedule
{
    /// <summary>The runbook's duties for an emergency deployment.</summary>
    public static IReadOnlyList<string> EmergencyDuties { get; } =
    [
        "Notify the on-call engineer and the engineering lead.",
        "Keep the change to the minimal scope that fixes the problem.",
        "Extend the post-deployment monitoring period.",
        "Hold a post-mortem if the deployment is incident-related.",
    ];

    private static readonly TimeSpan SearchHorizon = TimeSpan.FromDays(731);
    private readonly ScheduleSettings _settings;
    private readonly HolidayCalendar? _holidays;

    /// <summary>Creates a schedule from settings.</summary>
    public DeploymentSchedule(ScheduleSettings settings)
    {
        _settings = settings;
        _holidays = settings.HolidayCountry is null ? null : new HolidayCalendar(settings.HolidayCountry);
    }

    /// <summary>Decides whether a deployment to <paramref name="environment"/> may start at <paramref name="at"/>.</summary>
    public WindowDecision Check(DateTimeOffset at, EnvironmentConfig? environment = null)
    {
        at = at.ToUniversalTime();
        if (environment is { EnforceSchedule: false })
        {
            return new WindowDecision
            {
                At = at, Environment = environment.Name, Allowed = true, NextWindowStart = at,
                Reason = $"Environment '{environment.Name}' does not enforce the deployment schedule (enforceSchedule: false).",
                Summary = "schedule not enforced",
            };
        }

        var block = FindBlock(at);
        var window = block is null ? CurrentWindow(at) : null;
        if (block is null && window is not null)
        {
            return new WindowDecision
            {
                At = at, Environment = environment?.Name, Allowed = true, NextWindowStart = at,
                Window = window.Value.Window.ToString(), WindowEnd = window.Value.End,
                Reason = $"Inside the deployment window {window.Value.Window} ({ZoneName}).",
                Summary = $"in {window.Value.Window}",
            };
        }

        var next = NextAllowed(at);
        var (reason, summary) = block ?? ($"Outside the deployment windows ({string.Join(", ", _settings.Windows)}, {ZoneName}).", "outside the windows");
        return new WindowDecision
        {
            At = at, Environment = environment?.Name, Allowed = false, NextWindowStart = next,
            Reason = next is null ? $"{reason} No window opens in the next two years; check the schedule." : $"{reason} Next window: {Describe(next.Value)}.",
            Summary = summary,
        };
    }

    /// <summary>
    /// Test-SkDeploymentWindow's entry point: the decision for <paramref name="at"/> in <paramref name="environment"/>
    /// (null: the schedule alone), overridden when <paramref name="overrides"/> declare an emergency, which needs a
    /// reason (EmergencyReasonRequired).
    /// </summary>
    public WindowDecision Test(DateTimeOffset at, EnvironmentConfig? environment, PolicyOverrides overrides)
    {
        overrides.Validate();
        var decision = Check(at, environment);
        return overrides.Emergency ? AsEmergency(decision, overrides.Reason!) : decision;
    }

    /// <summary>Overrides a decision for an emergency: allowed, flagged, and carrying the runbook's duties.</summary>
    private static WindowDecision AsEmergency(WindowDecision decision, string reason) => decision with
    {
        Allowed = true,
        Emergency = true,
        Duties = EmergencyDuties,
        Reason = decision.Allowed
            ? $"Emergency deployment: {reason}. (The schedule allows it anyway: {decision.Reason})"
            : $"Emergency deployment: {reason}. Overrides: {decision.Reason}",
        Summary = $"emergency: {reason}",
    };

    private string ZoneName => _settings.TimeZone.Id;

    /// <summary>The rule that forbids deploying at <paramref name="at"/>, other than being outside a window, in a sentence and in a few words.</summary>
    private (string Reason, string Summary)? FindBlock(DateTimeOffset at)
    {
        var blackout = _settings.Blackouts.FirstOrDefault(b => at >= b.Start && at <= b.End);
        if (blackout is not null)
        {
            return ($"Blackout '{blackout.Name}' lasts until {Describe(blackout.End)}.", $"blackout: {blackout.Name}");
        }

        var local = TimeZoneInfo.ConvertTime(at, _settings.TimeZone);
        return DayBlock(DateOnly.FromDateTime(local.DateTime));
    }

    private (string Reason, string Summary)? DayBlock(DateOnly date)
    {
        var holiday = _holidays?.Find(date);
        if (holiday is not null)
        {
            return ($"{date:yyyy-MM-dd} is a public holiday in {_holidays!.CountryCode}: {holiday}.", $"holiday: {holiday}");
        }

        if (_settings.AvoidDays.Contains(date.DayOfWeek))
        {
            var why = date.DayOfWeek switch
            {
                DayOfWeek.Friday => " (no weekend support)",
                DayOfWeek.Monday => " (high traffic at the start of the week)",
                _ => string.Empty,
            };
            return ($"Deployments avoid {date.DayOfWeek}s{why}.", $"avoid {date.DayOfWeek}s");
        }

        return null;
    }

    private (DeploymentWindow Window, DateTimeOffset End)? CurrentWindow(DateTimeOffset at)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, _settings.TimeZone).DateTime);
        foreach (var window in _settings.Windows.Where(w => w.Day == date.DayOfWeek))
        {
            var (start, end) = Instants(date, window);
            if (at >= start && at < end)
            {
                return (window, end);
            }
        }

        return null;
    }

    private DateTimeOffset? NextAllowed(DateTimeOffset at)
    {
        var firstDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, _settings.TimeZone).DateTime);
        for (var date = firstDate; date.ToDateTime(TimeOnly.MinValue) - firstDate.ToDateTime(TimeOnly.MinValue) < SearchHorizon; date = date.AddDays(1))
        {
            if (DayBlock(date) is not null)
            {
                continue;
            }

            foreach (var window in _settings.Windows.Where(w => w.Day == date.DayOfWeek).OrderBy(w => w.Start))
            {
                var (start, end) = Instants(date, window);
                var candidate = start > at ? start : at;
                while (candidate < end)
                {
                    var blackout = _settings.Blackouts.FirstOrDefault(b => candidate >= b.Start && candidate <= b.End);
                    if (blackout is null)
                    {
                        return candidate;
                    }

                    candidate = blackout.End.AddSeconds(1);
                }
            }
        }

        return null;
    }

    private (DateTimeOffset Start, DateTimeOffset End) Instants(DateOnly date, DeploymentWindow window) =>
        (ToInstant(date.ToDateTime(window.Start)), ToInstant(date.ToDateTime(window.End)));

    private DateTimeOffset ToInstant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (_settings.TimeZone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, _settings.TimeZone.GetUtcOffset(local)).ToUniversalTime();
    }

    private string Describe(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, _settings.TimeZone);
        return string.Create(CultureInfo.InvariantCulture, $"{local:dddd yyyy-MM-dd HH:mm} {ZoneName}");
    }
}
