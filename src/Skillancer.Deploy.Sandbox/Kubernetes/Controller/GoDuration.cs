using System.Globalization;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>Durations as Go's time.Duration prints them ("500ms", "10s", "1m20s", "5m0s"), which the kubelet's messages quote.</summary>
internal static class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            return Number(duration.TotalMilliseconds) + "ms";
        }

        var hours = (long)duration.TotalHours;
        var minutes = duration.Minutes;
        var seconds = Number(duration.TotalSeconds - (hours * 3600) - (minutes * 60));
        return hours > 0 ? $"{hours}h{minutes}m{seconds}s"
            : minutes > 0 ? $"{minutes}m{seconds}s"
            : $"{seconds}s";
    }

    // Go prints the shortest exact decimal: 1.5s, 250ms, never trailing zeros.
    private static string Number(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);
}
