using System.Collections;
using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Orchestration.Canary;
using Skillancer.Deploy.Hosting;
using Skillancer.Deploy.Kubernetes;

namespace Skillancer.Deploy.Orchestration;

/// <summary>
/// <para type="synopsis">Runs the runbook's canary deployment step by step: a share of traffic to the new version, analysed against stable on the same metrics at the same time, then more, then the promotion, or an automatic abort.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "SkCanary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = RunSet)]
[OutputType(typeof(CanaryRun))]
public sealed class InvokeSkCanaryCommand : KubernetesCmdlet, IChangesEnvironment
{
    private const string RunSet = "Run";
    private const string ResumeSet = "Resume";

    /// <summary>
    /// <para type="description">The service to canary. It needs a canary section in skdeploy.yml (services[].canary:
    /// virtualService, stableSubset, canarySubset, and optionally analysis). Binds from the pipeline by property name.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Service { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The version the canary runs: 1.2.3 or v1.2.3. Binds from the pipeline by property
    /// name. With -Resume it may be left out (the canary's record names it); given, it must be the version of the canary
    /// resumed.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = RunSet)]
    [Parameter(Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
    [ValidateNotNullOrEmpty]
    public string Version { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Carry on the service's canary whose process died (a killed runner, Ctrl+C twice): the
    /// newest Canary record of the service that still says Running. Waits for its lock's lease to expire (up to
    /// lock.leaseDuration), takes it over, and continues the same record at the step it was in, from the weight the
    /// VirtualService holds, with what was left of the step's time and the failed analyses counted so far; the steps that
    /// had passed are not watched again. An abort or a promotion it was in is finished. The analysis it was started with
    /// carries on, under any -Analysis given again. NothingToResume when there is no such canary; ResumeVersionMismatch
    /// when -Version names another version.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ResumeSet)]
    public SwitchParameter Resume { get; set; }

    /// <summary>
    /// <para type="description">The canary's share of traffic at each step, in percent, rising and ending at 100 (the
    /// promotion), such as 5,25,50,100. Default: canary.analysis.steps, else the runbook's 5, 25, 50, 100.</para>
    /// </summary>
    [Parameter]
    [ValidateCount(1, 100)]
    public int[]? Steps { get; set; }

    /// <summary>
    /// <para type="description">How long each step is watched before the next, such as 10m. Default:
    /// canary.analysis.stepDuration, else the runbook's 1h ("monitor for 1 hour").</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? StepDuration { get; set; }

    /// <summary>
    /// <para type="description">How often the canary is compared with stable during a step, such as 1m (at least 1s, at
    /// most a step). Default: canary.analysis.interval, else 1m.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Interval { get; set; }

    /// <summary>
    /// <para type="description">Any canary.analysis key for this run, over the configuration's, such as
    /// @{ failureLimit = 1; minRequests = 500; maxLatencyIncrease = 0.1 }. Keys: steps, stepDuration, interval,
    /// failureLimit, minRequests, maxStepExtensions, maxErrorRatioIncrease, maxLatencyIncrease, confidence. An unknown key
    /// or a value of the wrong kind is refused with InvalidCanaryAnalysis before anything changes.</para>
    /// </summary>
    [Parameter]
    public Hashtable? Analysis { get; set; }

    /// <summary>
    /// <para type="description">How many canary pods to run. Defaults to the service's canary.replicas, else 1.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int? Replicas { get; set; }

    /// <summary>
    /// <para type="description">How long the canary, and stable at the promotion, may take to become ready. Defaults to
    /// the environment's kubernetes.rolloutTimeout, else 10m.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var request = new CanaryRequest(Config, environment, environment.Service(Service), Version)
        {
            Steps = Steps,
            StepDuration = StepDuration,
            Interval = Interval,
            Analysis = Analysis,
            Replicas = Replicas,
            Timeout = Timeout,
            LockWait = EnvironmentLockWait,
            CurrentDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath,
            Resume = Resume,
        };
        if (!Resume)
        {
            request.Validate();
        }

        if (Admit(environment, Overrides) is not { } admission)
        {
            return;
        }

        if (OnCluster(environment, (cluster, host, token) => CanaryProcedure.RunAsync(cluster, request, admission, host, token)) is not { } run)
        {
            return;
        }

        WriteObject(run);
        if (run.Failure is { } failure)
        {
            ThrowTerminatingError(ErrorRecords.From(failure));
        }
    }
}
