using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Orchestration.Canary;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.State.Lock;

namespace Skillancer.Deploy.Engine.Orchestration.Deployment;

/// <summary>Invoke-SkDeployment: the environment, the version, and how the runbook's procedure may bend for this run.</summary>
/// <param name="Config">The whole configuration (the environment a version is promoted from is in it).</param>
/// <param name="Environment">The environment deployed to.</param>
/// <param name="Version">The version: 1.2.3 or v1.2.3; empty with <see cref="Resume"/>, for the version of the run carried on.</param>
/// <param name="CurrentDirectory">Where the migrations folder and CHANGELOG.md are looked for when not configured.</param>
public sealed record DeploymentRequest(DeployConfig Config, EnvironmentConfig Environment, string Version, string CurrentDirectory)
{
    /// <summary>The error-rate watch for this run (-MonitorDuration); null for the environment's monitor.duration.</summary>
    public TimeSpan? MonitorDuration { get; init; }

    /// <summary>Go on past Failed preflight items where no approval is required (-AcceptPreflightWarnings).</summary>
    public bool AcceptPreflightWarnings { get; init; }

    /// <summary>Deploy migrations although the safety check found Error-level risks (-AcknowledgeRisk).</summary>
    public bool AcknowledgeRisk { get; init; }

    /// <summary>Leave a failed deployment in place for investigation instead of rolling it back (-NoRollback).</summary>
    public bool NoRollback { get; init; }

    /// <summary>Send the services that have a canary section through the progressive canary (-Canary) instead of the plain rollout.</summary>
    public bool Canary { get; init; }

    /// <summary>Carry on the environment's deployment run whose process died, from the first step it did not finish (-Resume).</summary>
    public bool Resume { get; init; }

    /// <summary>How long to wait for another holder of the environment's lock (-LockTimeout).</summary>
    public TimeSpan LockWait { get; init; }

    /// <summary>How to start a child PowerShell, for the smoke suites (smoke: - command:).</summary>
    public Verification.Smoke.PwshProgram? Pwsh { get; init; }

    /// <summary>A folder for the run's Markdown and JUnit reports (-ReportPath); null for none.</summary>
    public string? ReportPath { get; init; }

    /// <summary>A file the Markdown report is appended to: GitHub Actions' step summary ($GITHUB_STEP_SUMMARY); null for none.</summary>
    public string? StepSummaryPath { get; init; }

    /// <summary>The options a resumed run carries on with (<see cref="DeploymentRecord.Parameters"/>): those that were given.</summary>
    public IReadOnlyDictionary<string, string> Parameters()
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        if (MonitorDuration is { } duration)
        {
            given[nameof(MonitorDuration)] = DurationParser.Format(duration);
        }

        foreach (var (name, on) in new[] { (nameof(AcceptPreflightWarnings), AcceptPreflightWarnings), (nameof(AcknowledgeRisk), AcknowledgeRisk), (nameof(NoRollback), NoRollback) })
        {
            if (on)
            {
                given[name] = "true";
            }
        }

        return given;
    }

    /// <summary>This request carrying on <paramref name="record"/>'s run: its version, and its options where this one gives none.</summary>
    public DeploymentRequest Resuming(DeploymentRecord record)
    {
        var kept = record.Parameters ?? new Dictionary<string, string>();
        return this with
        {
            Version = record.Version!,
            MonitorDuration = MonitorDuration ?? (kept.TryGetValue(nameof(MonitorDuration), out var duration) ? (DurationParser.TryParse(duration, out var parsed) ? parsed : null) : null),
            AcceptPreflightWarnings = AcceptPreflightWarnings || kept.ContainsKey(nameof(AcceptPreflightWarnings)),
            AcknowledgeRisk = AcknowledgeRisk || kept.ContainsKey(nameof(AcknowledgeRisk)),
            NoRollback = NoRollback || kept.ContainsKey(nameof(NoRollback)),
        };
    }

    /// <summary>The services -Canary sends through the progressive canary: those with a canary section.</summary>
    public IReadOnlyList<ServiceConfig> CanaryServices => Canary ? [.. Environment.Services.Where(s => s.Canary is not null)] : [];

    /// <summary>The progressive canary of one service within this run: its configured analysis, the run's version and folder.</summary>
    public CanaryRequest CanaryFor(ServiceConfig service, string tag) =>
        new(Config, Environment, service, tag) { CurrentDirectory = CurrentDirectory };

    /// <summary>
    /// The version's tag and the watch's length; InvalidVersion, InvalidTimeout (-MonitorDuration), InvalidLockTimeout,
    /// CanaryNotConfigured or InvalidCanaryAnalysis (-Canary), or InvalidReportPath (-ReportPath names a file), before anything is asked.
    /// </summary>
    public (string Tag, TimeSpan Watch) Validate(bool emergency)
    {
        var tag = Resume && string.IsNullOrEmpty(Version) ? string.Empty : ImageTags.FromVersion(Version);
        if (MonitorDuration is { } duration)
        {
            TimeoutCheck.Require(duration, Environment.Monitor.Interval, "MonitorDuration", "the error-rate watch");
        }

        LockRequest.RequireWait(LockWait);
        if (Canary)
        {
            // Each canary's analysis is checked now, as Invoke-SkCanary checks it, not when the run reaches it.
            var canaries = CanaryServices;
            if (canaries.Count == 0)
            {
                throw new DeployException(Kubernetes.KubernetesErrors.CanaryNotConfigured, DeployErrorCategory.InvalidOperation,
                    $"-Canary sends the services that have a canary section through the progressive canary, and no service of {Environment.Name} has one. " +
                    "Add services[].canary (virtualService, and optionally analysis) to skdeploy.yml, or deploy without -Canary. Nothing was changed.", Environment.Name);
            }

            foreach (var service in tag.Length == 0 ? [] : canaries)
            {
                CanaryFor(service, tag).Validate();
            }
        }

        if (ReportPath is not null && File.Exists(ReportPath))
        {
            throw new DeployException(DeploymentErrors.InvalidReportPath, DeployErrorCategory.InvalidArgument,
                $"-ReportPath '{ReportPath}' is a file; it names the folder the run's reports are written to. Pass a folder (it is created when missing). Nothing was changed.", ReportPath);
        }

        var watch = MonitorDuration ?? Environment.Monitor.Duration;
        return (tag, emergency ? watch * Environment.EmergencyMonitorFactor : watch);
    }
}
