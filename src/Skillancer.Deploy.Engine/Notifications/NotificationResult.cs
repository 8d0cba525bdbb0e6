namespace Skillancer.Deploy.Engine.Notifications;

/// <summary>A notice delivered to a webhook.</summary>
public sealed record NotificationResult
{
    /// <summary>Which notice.</summary>
    public required NoticeKind Kind { get; init; }

    /// <summary>The notice's title.</summary>
    public required string Title { get; init; }

    /// <summary>The webhook's host (the rest of its URL is a secret).</summary>
    public required string Destination { get; init; }

    /// <summary>The status the webhook answered with.</summary>
    public required int StatusCode { get; init; }

    /// <summary>How many attempts it took.</summary>
    public required int Attempts { get; init; }

    /// <summary>When it was delivered (UTC).</summary>
    public required DateTimeOffset SentAt { get; init; }
}
