namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// How one service's health endpoint answers. A test or the demo sets it through the control API:
/// a status to return, a delay before answering, and optionally how many answers fail before it recovers.
/// </summary>
/// <param name="StatusCode">The status returned while failing (or always, when <paramref name="Failures"/> is null).</param>
/// <param name="DelayMs">How long to wait before answering.</param>
/// <param name="Failures">How many answers return <paramref name="StatusCode"/> before the endpoint answers 200; null for always.</param>
internal sealed record HealthBehaviour(int StatusCode = 200, int DelayMs = 0, int? Failures = null)
{
    public static HealthBehaviour Healthy { get; } = new();
}
