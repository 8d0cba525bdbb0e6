using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>The error ids of Invoke-SkCanary.</summary>
public static class CanaryErrors
{
    /// <summary>The analysis aborted the canary: traffic went back to stable and the canary was scaled down.</summary>
    public const string CanaryAborted = "CanaryAborted";

    /// <summary>-Analysis names a key canary.analysis does not have, or gives a value of the wrong kind.</summary>
    public const string InvalidAnalysis = Configuration.CanaryAnalysisSettings.InvalidAnalysis;

    /// <summary>The run's terminating error: why the canary was aborted, what was done, and the record that keeps the rest.</summary>
    public static DeployException Aborted(string environment, string service, string tag, int weight, string reason, string? recordId) =>
        new(CanaryAborted, DeployErrorCategory.InvalidResult,
            $"The canary of {service} {tag} in {environment} was aborted at {weight}%: {reason.TrimEnd('.')}. Traffic is back on stable and the canary is scaled to 0; " +
            "stable was never changed. " +
            (recordId is null ? "" : $"The record keeps each step and the analysis that decided: Get-SkDeploymentLog -Environment {environment} -Id {recordId}. ") +
            $"Fix the release and run Invoke-SkCanary -Environment {environment} -Service {service} -Version <the fixed version>.",
            recordId);
}
