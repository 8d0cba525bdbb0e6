namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>A health check's answer: the status code, the version that answered, and why it failed.</summary>
internal sealed record HealthAnswer(int StatusCode, string? Version, string? Reason);
