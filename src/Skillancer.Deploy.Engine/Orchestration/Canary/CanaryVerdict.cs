namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>What one comparison of the canary with stable decided.</summary>
public enum CanaryVerdict
{
    /// <summary>The canary is no worse than stable on any metric, with enough traffic to tell.</summary>
    Pass,

    /// <summary>Too little canary traffic or no data to tell: never a pass.</summary>
    Inconclusive,

    /// <summary>The canary is worse: above the runbook's error threshold, or significantly worse than stable.</summary>
    Fail,
}
