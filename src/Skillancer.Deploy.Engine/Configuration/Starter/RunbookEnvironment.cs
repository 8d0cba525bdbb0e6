namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>
/// An environment as the runbook describes it: its five services and tiers ("Deployment Order"), their
/// health endpoints ("Health Check Endpoints"), and its URLs ("Environment-Specific Procedures").
/// </summary>
internal static class RunbookEnvironment
{
    private static readonly RunbookService[] Services =
    [
        new("api-gateway", "API Gateway", ServiceTier.Gateway, "api", "/health"),
        new("auth-svc", "Auth Service", ServiceTier.Backend, "auth", "/health"),
        new("market-svc", "Market Service", ServiceTier.Backend, "market", "/health"),
        new("skillpod-svc", "SkillPod Service", ServiceTier.Backend, "skillpod", "/health"),
        new("web", "Web App", ServiceTier.Frontend, null, "/api/health"),
    ];

    /// <summary>The environment with the runbook's services.</summary>
    public static StarterEnvironment For(string name)
    {
        var production = IsProduction(name);
        return new StarterEnvironment
        {
            Name = name,
            Production = production,
            Url = Url(name, null).TrimEnd('/'),
            UrlNote = Known(name) ? null : "check: the environment's public URL",
            Namespace = name,
            Services = Services.Select(s => new StarterService
            {
                Name = s.Name,
                DisplayName = s.DisplayName,
                Tier = s.Tier,
                Health = Url(name, s.Subdomain) + s.HealthPath.TrimStart('/'),
                Canary = s.Tier == ServiceTier.Frontend ? new StarterCanary(s.Name, "stable", "canary") : null,
            }).ToList(),
            Variables = StarterVariables.For(name, production),
        };
    }

    /// <summary>The runbook's service of that name, if it is one.</summary>
    public static (string DisplayName, string Health)? Service(string environment, string service) =>
        Services.FirstOrDefault(s => s.Name == service) is { } known ? (known.DisplayName, Url(environment, known.Subdomain) + known.HealthPath.TrimStart('/')) : null;

    /// <summary>production (or prod, prd): approval required, the runbook's variable names.</summary>
    public static bool IsProduction(string name) => name.ToLowerInvariant() is "production" or "prod" or "prd";

    /// <summary>https://skillancer.com/, https://staging.skillancer.com/, https://api.staging.skillancer.com/ ...</summary>
    public static string Url(string environment, string? subdomain)
    {
        var host = IsProduction(environment) ? "skillancer.com" : $"{environment.ToLowerInvariant()}.skillancer.com";
        return subdomain is null ? $"https://{host}/" : $"https://{subdomain}.{host}/";
    }

    private static bool Known(string name) => IsProduction(name) || name.Equals("staging", StringComparison.OrdinalIgnoreCase);

    private sealed record RunbookService(string Name, string DisplayName, ServiceTier Tier, string? Subdomain, string HealthPath);
}
