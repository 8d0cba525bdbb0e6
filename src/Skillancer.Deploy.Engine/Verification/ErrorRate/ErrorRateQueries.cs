using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>
/// The PromQL for a target: the environment's errorRateQuery, a service's serviceErrorRateQuery, or the
/// user's -Query, with <c>{service}</c>, <c>{namespace}</c> and <c>{environment}</c> filled in; and the per-track queries
/// of a canary analysis.
/// </summary>
public static class ErrorRateQueries
{
    /// <summary>Error id: the environment has no prometheus section.</summary>
    public const string PrometheusNotConfigured = "PrometheusNotConfigured";

    /// <summary>The environment's Prometheus settings, or a clear error when there are none.</summary>
    public static PrometheusSettings Settings(EnvironmentConfig environment) =>
        environment.Prometheus ?? throw new DeployException(PrometheusNotConfigured, DeployErrorCategory.NotSpecified,
            $"Environment '{environment.Name}' has no Prometheus. Add a prometheus: section with its url (and, if the defaults do not fit, errorRateQuery and serviceErrorRateQuery) to {environment.ConfigPath}.",
            environment.Name);

    /// <summary>The query for the whole environment (<paramref name="service"/> null) or for one service.</summary>
    public static string For(EnvironmentConfig environment, ServiceConfig? service, string? custom)
    {
        var settings = Settings(environment);
        var template = custom ?? (service is null ? settings.ErrorRateQuery : settings.ServiceErrorRateQuery);
        if (service is null && template.Contains("{service}", StringComparison.Ordinal))
        {
            throw new DeployException(PrometheusQuery.QueryInvalid, DeployErrorCategory.InvalidArgument,
                $"The query has a {{service}} placeholder but no service is being watched: {template}. Pass -Service, or a query without {{service}}.",
                template);
        }

        return Fill(template, environment, service);
    }

    /// <summary>
    /// A per-track query of a service (prometheus.trackErrorRateQuery, latencyQuery or trackRequestsQuery) with
    /// <c>{track}</c> (stable or canary) and <c>{window}</c> (a PromQL range such as 90s) filled in too.
    /// </summary>
    public static string ForTrack(string template, EnvironmentConfig environment, ServiceConfig service, string track, TimeSpan? window = null) =>
        Fill(template, environment, service)
            .Replace("{track}", track, StringComparison.Ordinal)
            .Replace("{window}", $"{Math.Max(1, (int)Math.Ceiling(window?.TotalSeconds ?? 60))}s", StringComparison.Ordinal);

    private static string Fill(string template, EnvironmentConfig environment, ServiceConfig? service) => template
        .Replace("{service}", service?.Name ?? string.Empty, StringComparison.Ordinal)
        .Replace("{namespace}", environment.Kubernetes.Namespace, StringComparison.Ordinal)
        .Replace("{environment}", environment.Name, StringComparison.Ordinal);
}
