using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification.ErrorRate;
using Skillancer.Deploy.Engine.Verification.Smoke;

namespace Skillancer.Deploy.Engine.Verification;

/// <summary>
/// The error ids of the verification steps (health, smoke tests, error-rate watch), one per failure a user can act
/// on, and the errors a failed gate ends with: it writes its results, then exactly one of these.
/// </summary>
public static class VerificationErrors
{
    /// <summary>-TimeoutSec of Test-SkHealth is zero, negative or not a number.</summary>
    public const string InvalidTimeout = "InvalidTimeout";
    /// <summary>-Retry or -RetryIntervalSec of Test-SkHealth is negative.</summary>
    public const string InvalidRetry = "InvalidRetry";
    /// <summary>-Path of Invoke-SkSmokeTest names no file or folder.</summary>
    public const string SmokeSuiteNotFound = "SmokeSuiteNotFound";
    /// <summary>-Thresholds of Watch-SkErrorRate has unknown keys, values outside 0-1, or values out of order.</summary>
    public const string InvalidThresholds = "InvalidThresholds";
    /// <summary>Invoke-SkSmokeTest -Path needs Pester 5, and none is installed.</summary>
    public const string PesterNotFound = "PesterNotFound";
    /// <summary>The input of Watch-SkErrorRate names more than one environment.</summary>
    public const string MixedEnvironments = "MixedEnvironments";
    /// <summary>The health gate failed: a service checked is not healthy.</summary>
    public const string HealthCheckFailed = "HealthCheckFailed";
    /// <summary>The smoke gate failed: a check failed, or none passed.</summary>
    public const string SmokeTestFailed = "SmokeTestFailed";
    /// <summary>The error-rate gate failed: the rate crossed the limit the watch was given.</summary>
    public const string ErrorRateWatchFailed = "ErrorRateWatchFailed";
    /// <summary>The error-rate gate could not decide: too many samples without data.</summary>
    public const string ErrorRateWatchInconclusive = "ErrorRateWatchInconclusive";

    /// <summary>The health gate's error for these results; null when every service checked is healthy.</summary>
    public static DeployException? HealthFailure(IReadOnlyList<HealthResult> results)
    {
        var unhealthy = results.Where(r => !r.Healthy).ToList();
        if (unhealthy.Count == 0)
        {
            return null;
        }

        var detail = string.Join("; ", unhealthy.Select(r => $"{r.Service} in {r.Environment}: {r.Error ?? "unhealthy"}"));
        return new DeployException(HealthCheckFailed, DeployErrorCategory.InvalidResult,
            $"{unhealthy.Count} of {results.Count} services are not healthy ({detail}). Look at their pods and logs " +
            "(Get-SkDeployment shows what runs), fix or roll back (Undo-SkDeployment), then run Test-SkHealth again; " +
            "-Retry gives a service that is still starting more attempts.",
            unhealthy.Select(r => r.Service).ToList());
    }

    /// <summary>The smoke gate's error for these results; null when none failed and at least one passed.</summary>
    public static DeployException? SmokeFailure(IReadOnlyList<SmokeResult> results)
    {
        var failed = results.Where(r => r.Outcome == SmokeOutcome.Failed).ToList();
        if (failed.Count == 0 && results.Any(r => r.Passed))
        {
            return null;
        }

        var message = failed.Count > 0
            ? $"{failed.Count} of {results.Count} smoke checks failed: {string.Join(", ", failed.Select(f => $"{f.Name} in {f.Environment}"))}. " +
              "Each result's Detail says what was wrong. Fix it or roll back (Undo-SkDeployment), then run Invoke-SkSmokeTest again."
            : $"None of the {results.Count} smoke checks passed (all were skipped). Check the smoke: list, -Name, -Path and -Command, then run Invoke-SkSmokeTest again.";
        return new DeployException(SmokeTestFailed, DeployErrorCategory.InvalidResult, message, failed.Select(f => f.Name).ToList());
    }

    /// <summary>The error-rate gate's error for this summary; null when the watch passed.</summary>
    public static DeployException? WatchFailure(ErrorRateSummary summary) => summary.Verdict switch
    {
        WatchVerdict.Failed => new DeployException(ErrorRateWatchFailed, DeployErrorCategory.InvalidResult,
            $"The error-rate watch of {Target(summary)} failed: {summary.Reason} (worst level {summary.WorstLevel}). " +
            (summary.RolledBack.Count > 0
                ? $"Rolled back: {string.Join(", ", summary.RolledBack)}. Confirm the rate recovers (Watch-SkErrorRate -Quiet) and find the cause before rolling out again."
                : "Roll back (Undo-SkDeployment, or Watch-SkErrorRate -AutoRollback) and find the cause before rolling out again."),
            summary),
        WatchVerdict.Inconclusive => new DeployException(ErrorRateWatchInconclusive, DeployErrorCategory.ConnectionError,
            $"The error-rate watch of {Target(summary)} was inconclusive: {summary.Reason}. Nothing was judged healthy. " +
            "Check that Prometheus scrapes the services and that the query finds data, then watch again.",
            summary),
        _ => null,
    };

    private static string Target(ErrorRateSummary summary) =>
        summary.Services.Count == 0 ? summary.Environment : $"{string.Join(", ", summary.Services)} in {summary.Environment}";
}
