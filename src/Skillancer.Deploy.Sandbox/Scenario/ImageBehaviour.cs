namespace Skillancer.Deploy.Sandbox.Scenario;

/// <summary>
/// How a version behaves once deployed, from best to worst: <see cref="ImageRules.Worst"/> and the pages
/// take the <c>Max()</c> of a pod's or a service's behaviours, so the order matters.
/// </summary>
internal enum ImageBehaviour
{
    /// <summary>Becomes ready, answers its health check, fails well under 1% of requests.</summary>
    Good,

    /// <summary>Becomes ready, answers its health check and fails as few requests as a good version, but takes twice as long to answer.</summary>
    Slow,

    /// <summary>Becomes ready and answers its health check, yet fails 15% of requests: only the error-rate watch sees it.</summary>
    Erroring,

    /// <summary>Never becomes ready: the rollout stalls until its progress deadline.</summary>
    Broken,

    /// <summary>Becomes ready but is unhealthy: its health check answers 5xx and over 10% of requests fail.</summary>
    Faulty,
}
