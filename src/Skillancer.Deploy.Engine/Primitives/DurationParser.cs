using System.Globalization;
using System.Text.RegularExpressions;

namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// Parses the durations that configuration and parameters accept: <c>30m</c>, <c>5s</c>,
/// <c>1h30m</c>, <c>250ms</c>, or a TimeSpan such as <c>00:30:00</c>.
/// </summary>
public static partial class DurationParser
{
    /// <summary>The accepted forms, for error messages.</summary>
    public const string AcceptedForms = "a duration such as 30m, 5s, 1h30m, 250ms or 00:30:00";

    [GeneratedRegex(@"^(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?(?:(?<ms>\d+)ms)?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitForm();

    /// <summary>Parses <paramref name="text"/>; returns false when it is not a duration.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var match = UnitForm().Match(text);
        if (match.Success && text.Length > 0)
        {
            try
            {
                duration = TimeSpan.FromHours(Number(match, "h"))
                    + TimeSpan.FromMinutes(Number(match, "m"))
                    + TimeSpan.FromSeconds(Number(match, "s"))
                    + TimeSpan.FromMilliseconds(Number(match, "ms"));
                return true;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return text.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }

    /// <summary>Formats a duration the way configuration writes it: <c>1h30m</c>, <c>5s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var parts = new List<string>(4);
        var hours = (long)duration.TotalHours;
        if (hours > 0) parts.Add($"{hours}h");
        if (duration.Minutes > 0) parts.Add($"{duration.Minutes}m");
        if (duration.Seconds > 0) parts.Add($"{duration.Seconds}s");
        if (duration.Milliseconds > 0) parts.Add($"{duration.Milliseconds}ms");
        return string.Concat(parts);
    }

    private static double Number(Match match, string group) =>
        match.Groups[group].Success ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
}
