using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Notifications;

/// <summary>A notice delivered to a webhook.</summary>
public sealed record NotificationResult
 : IRecordedResult{
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

    /// <inheritdoc/>
    public RecordOutcome ToRecordOutcome() => RecordOutcome.OfSteps([
        new RecordStep { Name = $"notice {Kind}", Status = StatusCode is >= 200 and < 300 ? "Sent" : "Failed", Failed = StatusCode is < 200 or >= 300, Detail = $"{Title} (HTTP {StatusCode} after {Attempts} attempt(s))" },
    ]);
}
