namespace Skillancer.Deploy.Engine.Verification;

/// <summary>How patient a health check is.</summary>
/// <param name="Timeout">How long one attempt may take.</param>
/// <param name="Retries">How many more attempts follow a failed one.</param>
/// <param name="RetryInterval">The pause between attempts.</param>
/// <param name="SkipCertificateCheck">Accept any TLS certificate. Only for endpoints the user trusts.</param>
public sealed record HealthCheckOptions(TimeSpan Timeout, int Retries, TimeSpan RetryInterval, bool SkipCertificateCheck)
{
    /// <summary>10 s per attempt, no retries, certificates verified.</summary>
    public static HealthCheckOptions Default { get; } = new(TimeSpan.FromSeconds(10), 0, TimeSpan.FromSeconds(2), false);
}
