namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>One environment of a starter configuration, as it will be written. A note is the "# check" comment of a guess.</summary>
internal sealed record StarterEnvironment
{
    public required string Name { get; init; }

    public required bool Production { get; init; }

    public required string Url { get; init; }

    public string? UrlNote { get; init; }

    public required string Namespace { get; init; }

    public string? NamespaceNote { get; init; }

    /// <summary>The kubeconfig context to name, when read from a cluster.</summary>
    public string? Context { get; init; }

    /// <summary>The kubeconfig to name, when one was given explicitly.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The environment's own registry, when read from a cluster (else defaults.registry applies).</summary>
    public string? Registry { get; init; }

    public string? RegistryNote { get; init; }

    public required IReadOnlyList<StarterService> Services { get; init; }

    public required StarterVariables Variables { get; init; }
}

/// <summary>One service of a starter environment.</summary>
internal sealed record StarterService
{
    public required string Name { get; init; }

    public string? DisplayName { get; init; }

    public required ServiceTier Tier { get; init; }

    public string? TierNote { get; init; }

    /// <summary>Written only when read from a cluster: the deployment, container and image found there.</summary>
    public string? Deployment { get; init; }

    public string? Container { get; init; }

    public string? ContainerNote { get; init; }

    public string? Image { get; init; }

    public string? ImageNote { get; init; }

    public string? Health { get; init; }

    public string? HealthNote { get; init; }

    /// <summary>The readiness probe's path, for a commented-out health line when no health URL is known.</summary>
    public string? ProbePath { get; init; }

    public StarterCanary? Canary { get; init; }
}

/// <summary>The Istio routing of a service's canary.</summary>
internal sealed record StarterCanary(string VirtualService, string StableSubset, string CanarySubset, string? Note = null);
