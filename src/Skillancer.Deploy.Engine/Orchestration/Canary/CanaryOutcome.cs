namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>How a progressive canary ended.</summary>
public enum CanaryOutcome
{
    /// <summary>Every step passed: stable runs the canary's image, all traffic is on stable, the canary deployment is gone.</summary>
    Promoted,

    /// <summary>The analysis failed it, or it never had enough traffic to judge: traffic back on stable, the canary scaled to 0.</summary>
    Aborted,

    /// <summary>A change was declined at the -Confirm prompt: the canary was left as it stood.</summary>
    Declined,
}
