namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// The check every request makes of its durations before anything changes: a timeout is positive and
/// at least one poll long, so a step never makes its change and then gives up at once.
/// </summary>
public static class TimeoutCheck
{
    /// <summary>The error id of a timeout that is zero, negative or shorter than one poll.</summary>
    public const string InvalidTimeout = "InvalidTimeout";

    /// <summary>The error id of a poll interval that is zero or negative.</summary>
    public const string InvalidInterval = "InvalidInterval";

    /// <summary>
    /// Refuses <paramref name="timeout"/> (given as -<paramref name="parameter"/>) when it is not positive
    /// or is shorter than <paramref name="shortest"/>; <paramref name="what"/> says what the timeout bounds.
    /// </summary>
    public static void Require(TimeSpan timeout, TimeSpan shortest, string parameter, string what)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new DeployException(InvalidTimeout, DeployErrorCategory.InvalidArgument,
                $"-{parameter} {Show(timeout)} is not a usable timeout for {what}: it must be positive and at least {Show(shortest)}. " +
                $"Pass a duration such as 5m, or leave -{parameter} out to use the default.", timeout);
        }

        if (timeout < shortest)
        {
            throw new DeployException(InvalidTimeout, DeployErrorCategory.InvalidArgument,
                $"-{parameter} {Show(timeout)} is shorter than one poll ({Show(shortest)}) for {what}, so it would run out before the first look. " +
                $"Pass at least {Show(shortest)}, such as 5m, or leave -{parameter} out to use the default.", timeout);
        }
    }

    /// <summary>Refuses a poll interval (-<paramref name="parameter"/>) that is not positive.</summary>
    public static void RequireInterval(TimeSpan interval, string parameter)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new DeployException(InvalidInterval, DeployErrorCategory.InvalidArgument,
                $"-{parameter} {Show(interval)} is not a usable interval: it must be positive. Pass a duration such as 1s.", interval);
        }
    }

    private static string Show(TimeSpan duration) =>
        duration < TimeSpan.Zero ? "-" + DurationParser.Format(duration.Negate()) : DurationParser.Format(duration);
}
