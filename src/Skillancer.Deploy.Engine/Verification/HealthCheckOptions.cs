using Skillancer.Deploy.Engine.Primitives;

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

    /// <summary>Options from Test-SkHealth's seconds, checked before anything is asked: InvalidTimeout, InvalidRetry.</summary>
    public static HealthCheckOptions FromSeconds(double timeoutSec, int retries, double retryIntervalSec, bool skipCertificateCheck)
    {
        if (timeoutSec <= 0 || double.IsNaN(timeoutSec) || double.IsInfinity(timeoutSec))
        {
            throw new DeployException(VerificationErrors.InvalidTimeout, DeployErrorCategory.InvalidArgument,
                $"-TimeoutSec must be more than 0 seconds (it was {timeoutSec}). Pass the seconds one attempt may take, e.g. -TimeoutSec 5.", timeoutSec);
        }

        if (retries < 0 || retryIntervalSec < 0 || double.IsNaN(retryIntervalSec) || double.IsInfinity(retryIntervalSec))
        {
            throw new DeployException(VerificationErrors.InvalidRetry, DeployErrorCategory.InvalidArgument,
                "-Retry and -RetryIntervalSec cannot be negative. Pass, e.g., -Retry 3 -RetryIntervalSec 2.", retries);
        }

        return new(TimeSpan.FromSeconds(timeoutSec), retries, TimeSpan.FromSeconds(retryIntervalSec), skipCertificateCheck);
    }
}
