using System.Collections.Concurrent;
using PublicHoliday;

namespace Skillancer.Deploy.Engine.Schedule;

/// <summary>Public holidays of one country, from the PublicHoliday package. Both the holiday and its observed day off count.</summary>
internal sealed class HolidayCalendar
{
    private readonly IPublicHolidays _holidays;
    private readonly ConcurrentDictionary<int, IReadOnlyDictionary<DateOnly, string>> _byYear = new();

    public HolidayCalendar(string countryCode)
    {
        CountryCode = countryCode;
        _holidays = PublicHolidayFactory.GetPublicHolidayForCountry(countryCode);
    }

    public string CountryCode { get; }

    /// <summary>The holiday's name if <paramref name="date"/> is a holiday or its observed day off, else null.</summary>
    public string? Find(DateOnly date) => _byYear.GetOrAdd(date.Year, Load).GetValueOrDefault(date);

    private IReadOnlyDictionary<DateOnly, string> Load(int year)
    {
        var days = new Dictionary<DateOnly, string>();
        foreach (var holiday in _holidays.PublicHolidaysInformation(year))
        {
            var name = string.IsNullOrWhiteSpace(holiday.EnglishName) ? holiday.Name : holiday.EnglishName;
            days.TryAdd(DateOnly.FromDateTime(holiday.HolidayDate), name);
            days.TryAdd(DateOnly.FromDateTime(holiday.ObservedDate), $"{name} (observed)");
        }

        return days;
    }
}
