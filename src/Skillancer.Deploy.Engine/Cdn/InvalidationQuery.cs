using Skillancer.Deploy.Engine.Configuration;

namespace Skillancer.Deploy.Engine.Cdn;

/// <summary>What Get-SkCdnInvalidation was asked for: one invalidation by id, or every one, newest first.</summary>
/// <param name="Environment">The environment whose distribution (cdn:) is read.</param>
public sealed record InvalidationQuery(EnvironmentConfig Environment)
{
    /// <summary>CloudFront's id of one invalidation; null lists them all.</summary>
    public string? Id { get; init; }

    /// <summary>The distribution an invalidation handed in came from; another than the environment's is refused.</summary>
    public string? DistributionId { get; init; }

    /// <summary>An AWS profile instead of cdn.profile or the SDK's default chain.</summary>
    public string? Profile { get; init; }

    /// <summary>MaxItems of each ListInvalidations page.</summary>
    public int PageSize { get; init; } = 100;
}
