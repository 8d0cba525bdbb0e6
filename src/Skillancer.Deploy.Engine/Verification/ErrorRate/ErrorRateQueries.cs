using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>
/// The PromQL for a target: the environment's errorRateQuery, a service's serviceErrorRateQuery, or the
/// user's -Query, with <c>{service}</c>, <c>{namespace}</c> and <c>{environment}</c> filled in.
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

        return template
            .Replace("{service}", service?.Name ?? string.Empty, StringComparison.Ordinal)
            .Replace("{namespace}", environment.Kubernetes.Namespace, StringComparison.Ordinal)
            .Replace("{environment}", environment.Name, StringComparison.Ordinal);
    }
}
