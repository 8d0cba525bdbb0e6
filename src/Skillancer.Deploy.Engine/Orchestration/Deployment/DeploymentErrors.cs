using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Orchestration.Deployment;

/// <summary>The error ids of Invoke-SkDeployment.</summary>
public static class DeploymentErrors
{
    /// <summary>A step failed: the run was rolled back (or left in place with -NoRollback), and the record says how.</summary>
    public const string DeploymentFailed = "DeploymentFailed";

    /// <summary>The version has no Succeeded run in the environment it is promoted from.</summary>
    public const string PromotionRequired = "PromotionRequired";

    /// <summary>-ReportPath names a file, not a folder.</summary>
    public const string InvalidReportPath = "InvalidReportPath";

    /// <summary>The run's terminating error: which step, why, and the record that keeps the rest.</summary>
    public static DeployException Failed(string environment, string tag, string step, string reason, string recordId, string consequence) =>
        new(DeploymentFailed, DeployErrorCategory.InvalidResult,
            $"The deployment of {tag} to {environment} failed at {step}: {reason.TrimEnd('.')}. {consequence} " +
            $"The record says the rest: Get-SkDeploymentLog -Environment {environment} -Id {recordId}.",
            recordId);
}
