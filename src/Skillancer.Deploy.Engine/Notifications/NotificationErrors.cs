namespace Skillancer.Deploy.Engine.Notifications;

/// <summary>The error ids of the notification steps (New-SkDeploymentNotice, Send-SkNotification), one per failure a user can act on.</summary>
public static class NotificationErrors
{
    /// <summary>Send-SkNotification got something that is not a notice from New-SkDeploymentNotice.</summary>
    public const string NotANotice = "NotANotice";
    /// <summary>No webhook is known for the notice: no environment, no notifications: section, or no http(s) URL.</summary>
    public const string WebhookNotConfigured = "WebhookNotConfigured";
    /// <summary>The notice (or input) is about another environment than -Environment names (<see cref="Primitives.TargetMismatch"/>).</summary>
    public const string TargetMismatch = Primitives.TargetMismatch.ErrorId;
    /// <summary>A field the notice's template needs is missing.</summary>
    public const string NoticeFieldMissing = NoticeBuilder.NoticeFieldMissing;
    /// <summary>The webhook refused the notice or could not be reached.</summary>
    public const string NotificationFailed = WebhookSender.DeliveryFailed;
}
