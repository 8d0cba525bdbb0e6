using System.Globalization;

namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>Reads the <c>schedule</c> section; what it leaves out comes from the runbook's schedule.</summary>
internal static class ScheduleReader
{
    public static ScheduleSettings Read(YamlMap? map)
    {
        var runbook = ScheduleSettings.Runbook;
        if (map is null) return runbook;

        var timeZone = ReadTimeZone(map.Scalar("timeZone")) ?? runbook.TimeZone;
        var windows = map.Has("windows") ? map.Maps("windows").Select(ReadWindow).ToList() : runbook.Windows;
        var avoid = map.Map("avoid");
        if (avoid is null)
        {
            return runbook with { TimeZone = timeZone, Windows = windows };
        }

        var days = avoid.Has("days") ? avoid.Scalars("days").Select(ReadDay).ToList() : runbook.AvoidDays;
        var holidays = avoid.Map("holidays");
        var country = holidays is null ? (avoid.Has("holidays") ? null : runbook.HolidayCountry) : ReadCountry(holidays);
        var blackouts = avoid.Maps("blackouts").Select(b => ReadBlackout(b, timeZone)).ToList();
        return new ScheduleSettings(timeZone, windows, days, country, blackouts);
    }

    private static TimeZoneInfo? ReadTimeZone(LocatedScalar? scalar)
    {
        if (scalar is null) return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(scalar.Text);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw scalar.Invalid(ConfigErrors.Invalid, $"'{scalar.Text}' is not a known time zone.", "an IANA or Windows time zone id, e.g. UTC or Europe/London");
        }
    }

    private static DeploymentWindow ReadWindow(YamlMap map)
    {
        var day = ReadDay(map.Scalar("day") ?? throw map.Missing("day", "a day of the week, e.g. Tuesday"));
        var start = ReadTime(map.Scalar("start") ?? throw map.Missing("start", "a time such as \"14:00\""));
        var endScalar = map.Scalar("end") ?? throw map.Missing("end", "a time such as \"18:00\"");
        var end = ReadTime(endScalar);
        if (end <= start)
        {
            throw endScalar.Invalid(ConfigErrors.Invalid, $"The window ends ({end:HH\\:mm}) before it starts ({start:HH\\:mm}).", "an end time later than the start on the same day");
        }

        return new DeploymentWindow(day, start, end);
    }

    private static DayOfWeek ReadDay(LocatedScalar scalar)
    {
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var name = day.ToString();
            if (string.Equals(scalar.Text, name, StringComparison.OrdinalIgnoreCase) || string.Equals(scalar.Text, name[..3], StringComparison.OrdinalIgnoreCase))
            {
                return day;
            }
        }

        throw scalar.Invalid(ConfigErrors.Invalid, $"'{scalar.Text}' is not a day of the week.", "a day such as Tuesday or Tue");
    }

    private static TimeOnly ReadTime(LocatedScalar scalar) =>
        TimeOnly.TryParseExact(scalar.Text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw scalar.Invalid(ConfigErrors.Invalid, $"'{scalar.Text}' is not a time of day.", "a 24-hour time in quotes, such as \"14:00\"");

    private static string ReadCountry(YamlMap map)
    {
        var scalar = map.Scalar("country") ?? throw map.Missing("country", "a two-letter country code, e.g. US");
        var code = scalar.Text.ToUpperInvariant();
        try
        {
            _ = PublicHoliday.PublicHolidayFactory.GetPublicHolidayForCountry(code);
            return code;
        }
        catch (ArgumentOutOfRangeException)
        {
            throw scalar.Invalid(ConfigErrors.Invalid, $"'{scalar.Text}' is not a country with a known holiday calendar.", "a two-letter country code such as US, GB, DE or FR");
        }
    }

    private static Blackout ReadBlackout(YamlMap map, TimeZoneInfo timeZone)
    {
        var name = map.RequiredString("name", "what the blackout is for, e.g. Black Friday campaign");
        var start = ReadInstant(map.Scalar("start") ?? throw map.Missing("start", "a date and time, e.g. 2026-11-27T00:00:00Z"), timeZone);
        var endScalar = map.Scalar("end") ?? throw map.Missing("end", "a date and time, e.g. 2026-11-30T23:59:59Z");
        var end = ReadInstant(endScalar, timeZone);
        if (end < start)
        {
            throw endScalar.Invalid(ConfigErrors.Invalid, "The blackout ends before it starts.", "an end at or after the start");
        }

        return new Blackout(name, start, end);
    }

    /// <summary>An ISO 8601 instant; without an offset it is read in the schedule's time zone.</summary>
    private static DateTimeOffset ReadInstant(LocatedScalar scalar, TimeZoneInfo timeZone)
    {
        if (DateTimeOffset.TryParse(scalar.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            var hasOffset = scalar.Text.EndsWith('Z') || scalar.Text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(scalar.Text, @"[+-]\d{2}:?\d{2}$");
            if (hasOffset) return parsed.ToUniversalTime();
            var local = DateTime.SpecifyKind(parsed.DateTime, DateTimeKind.Unspecified);
            return new DateTimeOffset(local, timeZone.GetUtcOffset(local)).ToUniversalTime();
        }

        throw scalar.Invalid(ConfigErrors.Invalid, $"'{scalar.Text}' is not a date and time.", "an ISO 8601 date and time, e.g. 2026-11-27T00:00:00Z");
    }
}
