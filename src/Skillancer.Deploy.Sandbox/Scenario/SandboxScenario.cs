using Skillancer.Deploy.Engine.Configuration;

namespace Skillancer.Deploy.Sandbox.Scenario;

/// <summary>
/// What the sandbox pretends to run: environments (each a namespace) and their services at an initial
/// version. It comes from an skdeploy.yml, or by default from the runbook's five services in staging and production.
/// </summary>
internal sealed record SandboxScenario(IReadOnlyList<ScenarioEnvironment> Environments, string Registry, string InitialVersion)
{
    public const string DefaultVersion = "v1.2.2";

    /// <summary>The runbook's services, in staging and production.</summary>
    public static SandboxScenario Default(string initialVersion = DefaultVersion)
    {
        ScenarioService[] services =
        [
            new("api-gateway", "API Gateway", "gateway", "api-gateway", "api-gateway", "api-gateway", "/health", null),
            new("auth-svc", "Auth Service", "backend", "auth-svc", "auth-svc", "auth-svc", "/health", null),
            new("market-svc", "Market Service", "backend", "market-svc", "market-svc", "market-svc", "/health", null),
            new("skillpod-svc", "SkillPod Service", "backend", "skillpod-svc", "skillpod-svc", "skillpod-svc", "/health", null),
            new("web", "Web App", "frontend", "web", "web", "web", "/api/health", new ScenarioCanary("web", "stable", "canary")),
        ];
        return new SandboxScenario(
            [new ScenarioEnvironment("staging", "staging", false, services), new ScenarioEnvironment("production", "production", true, services)],
            "skillancer",
            initialVersion);
    }

    /// <summary>The environments, namespaces and services of an skdeploy.yml.</summary>
    public static SandboxScenario FromConfig(string path, string initialVersion = DefaultVersion)
    {
        var config = ConfigLoader.Load(path);
        var environments = config.Environments.Select(e => new ScenarioEnvironment(
            e.Name,
            e.Kubernetes.Namespace,
            e.RequireApproval,
            e.Services.Select(s => new ScenarioService(
                s.Name,
                s.DisplayName,
                s.Tier.ToString().ToLowerInvariant(),
                s.Deployment,
                s.Container,
                s.Image,
                s.Health?.AbsolutePath ?? "/health",
                s.Canary is { } c ? new ScenarioCanary(c.VirtualService, c.StableSubset, c.CanarySubset) : null)).ToList())).ToList();
        return new SandboxScenario(environments, (config.Environments.Count > 0 ? config.Environments[0].Registry : null) ?? "skillancer", initialVersion);
    }

    public ScenarioEnvironment? Environment(string name) =>
        Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The image a service runs at the initial version.</summary>
    public string InitialImage(ScenarioService service) => $"{Registry}/{service.Image}:{InitialVersion}";
}

/// <summary>An environment: its name, the namespace it runs in, and whether it is production-like.</summary>
internal sealed record ScenarioEnvironment(string Name, string Namespace, bool RequireApproval, IReadOnlyList<ScenarioService> Services)
{
    public ScenarioService? Service(string name) =>
        Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A service: its names, tier, deployment and container, image name and health path.</summary>
internal sealed record ScenarioService(
    string Name,
    string DisplayName,
    string Tier,
    string Deployment,
    string Container,
    string Image,
    string HealthPath,
    ScenarioCanary? Canary);

/// <summary>The Istio VirtualService and subsets that route a service's canary traffic.</summary>
internal sealed record ScenarioCanary(string VirtualService, string StableSubset, string CanarySubset);
