namespace Skillancer.Deploy.Engine.Notifications;

/// <summary>The runbook's messages: a rollback, a completed deployment, and two it implies (started, emergency).</summary>
public enum NoticeKind
{
    /// <summary>"🔄 Deployment Rollback" (the runbook's Rollback Communication).</summary>
    Rollback,

    /// <summary>"✅ Deployment Complete" (the runbook's post-deployment Communication).</summary>
    Complete,

    /// <summary>"🚀 Deployment Started".</summary>
    Started,

    /// <summary>"🚨 Emergency Deployment", outside the deployment window.</summary>
    Emergency,
}

/// <summary>A filled-in notice: its kind, title, the markdown text as the runbook writes it, and the fields that went into it.</summary>
public sealed record Notice
{
    /// <summary>Which template.</summary>
    public required NoticeKind Kind { get; init; }

    /// <summary>The first line without its markup, e.g. "🔄 Deployment Rollback".</summary>
    public required string Title { get; init; }

    /// <summary>The whole message, markdown as in the runbook.</summary>
    public required string Text { get; init; }

    /// <summary>The labelled values, in the template's order (Service, From Version, ...).</summary>
    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    /// <summary>
    /// The environment the notice is about, or null when it names none. Send-SkNotification sends it to
    /// that environment's webhook, and refuses an -Environment that differs.
    /// </summary>
    public string? Environment { get; init; }
}
