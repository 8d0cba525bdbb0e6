using System.Management.Automation;
using Skillancer.Deploy.Engine.Orchestration.Deployment;
using Skillancer.Deploy.Hosting;
using Skillancer.Deploy.Kubernetes;

namespace Skillancer.Deploy.Orchestration;

/// <summary>
/// <para type="synopsis">Runs the runbook's Deployment Process for one environment and version: gated, journaled, and rolled back automatically when a step fails.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "SkDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = RunSet)]
[OutputType(typeof(DeploymentRun))]
public sealed class InvokeSkDeploymentCommand : KubernetesCmdlet, IChangesEnvironment
{
    private const string RunSet = "Run";
    private const string ResumeSet = "Resume";

    /// <summary>
    /// <para type="description">The version to deploy: 1.2.3 or v1.2.3. Binds from the pipeline by property name, so a
    /// release from New-SkRelease can be piped in. With -Resume it may be left out (the run's record names it); given, it
    /// must be the version of the run resumed.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = RunSet)]
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
    [ValidateNotNullOrEmpty]
    public string Version { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Carry on the environment's run whose process died (a killed runner, Ctrl+C twice): the
    /// newest Deploy record that still says Running. Waits for its lock's lease to expire (up to lock.leaseDuration), takes
    /// it over, and continues the same record from the first step that did not finish: a finished step is not done again, a
    /// notice already sent is not sent again, a rollout already started is waited for, and a watch watches only what was
    /// left of it. NothingToResume when there is no such run; ResumeVersionMismatch when -Version names another version.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ResumeSet)]
    public SwitchParameter Resume { get; set; }

    /// <summary>
    /// <para type="description">How long to watch the error rate after the deployment, for this run: such as 10m. Default:
    /// the environment's monitor.duration (30m in production, as the runbook says). -Emergency doubles it.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? MonitorDuration { get; set; }

    /// <summary>
    /// <para type="description">Go on past checklist items that Failed, where the environment requires no approval
    /// (staging). Where approval is required, a Failed item always stops the run.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter AcceptPreflightWarnings { get; set; }

    /// <summary>
    /// <para type="description">Deploy migrations although the safety check found Error-level risks (as
    /// Invoke-SkMigration -AcknowledgeRisk).</para>
    /// </summary>
    [Parameter]
    public SwitchParameter AcknowledgeRisk { get; set; }

    /// <summary>
    /// <para type="description">When a step fails, leave the services as the failure found them, for investigation,
    /// instead of rolling them back. The record says so.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter NoRollback { get; set; }

    /// <summary>
    /// <para type="description">Send the services that have a canary section through the progressive canary (as
    /// Invoke-SkCanary, with their canary.analysis) in a step "Canary" after the rollout of the others: a promoted canary
    /// counts as rolled out, and an aborted one fails the run, which rolls the others back. The analyses are checked
    /// before anything changes (InvalidCanaryAnalysis); CanaryNotConfigured when no service has a canary section.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Canary { get; set; }

    /// <summary>
    /// <para type="description">A folder for the run's reports, created when missing: deploy-&lt;environment&gt;-&lt;record
    /// id&gt;.md (Markdown, its charts beside it as deploy-...-chart-N.svg), .html (one self-contained page with the timeline
    /// and the charts) and .xml (JUnit, one test case per step), from the closed journal record. Under GitHub Actions
    /// ($env:GITHUB_STEP_SUMMARY set) the Markdown is also appended to the job's summary, with or without -ReportPath.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReportPath { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var request = new DeploymentRequest(Config, environment, Version, SessionState.Path.CurrentFileSystemLocation.ProviderPath)
        {
            MonitorDuration = MonitorDuration,
            AcceptPreflightWarnings = AcceptPreflightWarnings,
            AcknowledgeRisk = AcknowledgeRisk,
            NoRollback = NoRollback,
            Resume = Resume,
            Canary = Canary,
            LockWait = EnvironmentLockWait,
            Pwsh = Verification.ChildPowerShell.Program(SessionState),
            ReportPath = ReportPath is null ? null : GetUnresolvedProviderPathFromPSPath(ReportPath),
            StepSummaryPath = System.Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary ? summary : null,
        };
        request.Validate(Overrides.Emergency);
        if (Admit(environment, Overrides) is not { } admission)
        {
            return;
        }

        var run = OnCluster(environment, (cluster, host, token) => DeploymentProcedure.RunAsync(cluster, request, admission, host, token));
        WriteObject(run);
        if (run.Failure is { } failure)
        {
            ThrowTerminatingError(ErrorRecords.From(failure));
        }
    }
}
