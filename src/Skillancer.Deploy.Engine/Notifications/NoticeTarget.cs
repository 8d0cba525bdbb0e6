using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Notifications;

/// <summary>Which environment's webhook a notice goes to: the one it carries, which an -Environment may repeat but not contradict.</summary>
public static class NoticeTarget
{
    /// <summary>The notice's environment, else <paramref name="environment"/>; null when neither names one.</summary>
    public static string? Resolve(Notice notice, string? environment)
    {
        if (notice.Environment is { } own && environment is not null && !string.Equals(own, environment, StringComparison.OrdinalIgnoreCase))
        {
            throw TargetMismatch.Refuse(
                $"The notice \"{notice.Title}\" is about '{own}', but -Environment names '{environment}'. " +
                $"Leave out -Environment to send it to the webhook of '{own}', or make the notice for '{environment}' (New-SkDeploymentNotice {environment} ...).",
                notice.Title);
        }

        return notice.Environment ?? environment;
    }
}
