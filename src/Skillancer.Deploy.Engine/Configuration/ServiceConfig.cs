namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>One service of an environment: its deployment, its image and its health endpoint.</summary>
public sealed record ServiceConfig
{
    /// <summary>The service's name, e.g. <c>api-gateway</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The name again, so that the object binds to the next cmdlet's -Service by property name.</summary>
    public string Service => Name;

    /// <summary>The environment the service belongs to.</summary>
    public required string Environment { get; init; }

    /// <summary>The name people use, e.g. <c>API Gateway</c>.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Where the service falls in the runbook's deployment order.</summary>
    public required ServiceTier Tier { get; init; }

    /// <summary>The Kubernetes deployment's name.</summary>
    public required string Deployment { get; init; }

    /// <summary>The container in the deployment whose image is set.</summary>
    public required string Container { get; init; }

    /// <summary>The image name within the registry.</summary>
    public required string Image { get; init; }

    /// <summary>The health endpoint, if the service has one.</summary>
    public Uri? Health { get; init; }

    /// <summary>The environment variable holding a bearer token for the health endpoint, if it needs one.</summary>
    public string? HealthTokenEnv { get; init; }

    /// <summary>Istio routing for canary releases, if configured.</summary>
    public CanarySettings? Canary { get; init; }
}

/// <summary>The runbook's deployment order: shared packages, backend services, the API gateway, then frontends.</summary>
public enum ServiceTier
{
    /// <summary>Shared packages, deployed first.</summary>
    Shared,
    /// <summary>Backend services, deployed in parallel.</summary>
    Backend,
    /// <summary>The API gateway.</summary>
    Gateway,
    /// <summary>Frontend applications, deployed last.</summary>
    Frontend,
}

/// <summary>The Istio VirtualService and subsets that split traffic during a canary, and how many canary pods run.</summary>
public sealed record CanarySettings(string VirtualService, string StableSubset, string CanarySubset, int Replicas = 1)
{
    /// <summary>How a progressive canary (Invoke-SkCanary) is stepped and judged; the runbook's when not configured.</summary>
    public CanaryAnalysisSettings Analysis { get; init; } = CanaryAnalysisSettings.Runbook;
}
