using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.FeatureFlags;

/// <summary>Which flags to read: every one (no names), or those named, where a name may be a wildcard.</summary>
/// <param name="Environment">The environment whose feature-flag API is asked.</param>
/// <param name="Names">Names or wildcards (<c>new_*</c>); null for every flag.</param>
/// <param name="SkipCertificateCheck">Accept any TLS certificate from the API.</param>
public sealed record FeatureFlagQuery(EnvironmentConfig Environment, IReadOnlyList<string>? Names, bool SkipCertificateCheck);

/// <summary>
/// Get-SkFeatureFlag's entry point. Exact names are read one by one, so an unknown one is
/// FeatureFlagNotFound; with a wildcard among them the list is read once and filtered, and a name or
/// pattern that matches nothing is no error (as Get-ChildItem with a wildcard).
/// </summary>
public static class FeatureFlagReader
{
    /// <summary>The flags <paramref name="query"/> asks for, in name order for a list, in the order named otherwise.</summary>
    public static async Task<IReadOnlyList<FeatureFlag>> ReadAsync(FeatureFlagQuery query, OperationHost host, CancellationToken cancellationToken)
    {
        using var api = FeatureFlagApi.Open(query.Environment, query.SkipCertificateCheck, host);
        if (query.Names is null)
        {
            return await api.ListAsync(cancellationToken).ConfigureAwait(false);
        }

        var patterns = query.Names.Select(n => new NamePattern(n)).ToList();
        if (query.Names.All(n => !NamePattern.HasWildcard(n)))
        {
            var named = new List<FeatureFlag>();
            foreach (var name in query.Names.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                named.Add(await api.GetAsync(name, cancellationToken).ConfigureAwait(false));
            }

            return named;
        }

        var all = await api.ListAsync(cancellationToken).ConfigureAwait(false);
        return all.Where(f => patterns.Any(p => p.IsMatch(f.Name))).ToList();
    }
}
