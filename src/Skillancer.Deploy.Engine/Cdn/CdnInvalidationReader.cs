using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Cdn;

/// <summary>
/// Looks up invalidations later, the one entry point for Get-SkCdnInvalidation: GetInvalidation for an id,
/// else ListInvalidations, newest first, every page. It changes nothing.
/// </summary>
public static class CdnInvalidationReader
{
    /// <summary>
    /// Hands each invalidation to <paramref name="emit"/> as it arrives (so a caller that needs only the
    /// first few can stop early) and returns how many there were.
    /// </summary>
    public static async Task<int> ReadAsync(InvalidationQuery query, Action<InvalidationResult> emit, OperationHost host, CancellationToken cancellationToken)
    {
        var distribution = query.Environment.Cdn?.DistributionId;
        if (query.DistributionId is { } handed && distribution is not null && !string.Equals(handed, distribution, StringComparison.Ordinal))
        {
            throw TargetMismatch.Refuse(
                $"Invalidation {query.Id} belongs to CloudFront distribution {handed}, not to {distribution} of environment '{query.Environment.Name}'. Leave out -Environment so that the invalidation's own environment is used, or name the environment whose cdn.distributionId is {handed}.",
                query.Id);
        }

        using var cloudFront = CloudFrontInvalidations.Open(query.Environment, query.Profile, host);
        if (query.Id is { } id)
        {
            emit(await cloudFront.GetAsync(id, cancellationToken).ConfigureAwait(false));
            return 1;
        }

        var count = 0;
        await foreach (var invalidation in cloudFront.ListAsync(query.PageSize, cancellationToken).ConfigureAwait(false))
        {
            emit(invalidation);
            count++;
        }

        return count;
    }
}
