namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>The runbook's five services, as the sandbox runs them in every environment.</summary>
internal static class RunbookServices
{
    public static IReadOnlyList<SandboxService> All { get; } =
    [
        new("api-gateway", "API Gateway", "gateway", "/health"),
        new("auth-svc", "Auth Service", "backend", "/health"),
        new("market-svc", "Market Service", "backend", "/health"),
        new("skillpod-svc", "SkillPod Service", "backend", "/health"),
        new("web", "Web App", "frontend", "/api/health"),
    ];

    /// <summary>The environments the sandbox pretends to be.</summary>
    public static IReadOnlyList<string> Environments { get; } = ["staging", "production"];
}

/// <summary>A service the sandbox serves: its name, display name, tier and health path.</summary>
internal sealed record SandboxService(string Name, string DisplayName, string Tier, string HealthPath);
