using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Cdn;

/// <summary>A CloudFront invalidation, as CloudFront reports it.</summary>
public sealed record InvalidationResult
 : IRecordedResult{
    /// <summary>The environment whose distribution it is.</summary>
    public required string Environment { get; init; }

    /// <summary>The CloudFront distribution.</summary>
    public required string DistributionId { get; init; }

    /// <summary>CloudFront's id of the invalidation.</summary>
    public required string Id { get; init; }

    /// <summary>InProgress or Completed.</summary>
    public required string Status { get; init; }

    /// <summary>The paths invalidated, e.g. /* or /static/*; empty when it was listed (ListInvalidations does not give them).</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>When CloudFront created it (UTC).</summary>
    public required DateTimeOffset CreateTime { get; init; }

    /// <summary>The reference that makes a retried request return this invalidation instead of a second one; null when it was listed.</summary>
    public required string? CallerReference { get; init; }

    /// <inheritdoc/>
    public RecordOutcome ToRecordOutcome() => RecordOutcome.OfSteps([
        new RecordStep { Name = $"invalidate {DistributionId}", Status = Status, Detail = $"invalidation {Id}: {string.Join(" ", Paths)}" },
    ]);
}
