using System.Collections;
using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Orchestration;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Verification.ErrorRate;
using Skillancer.Deploy.Hosting;
using Skillancer.Deploy.Kubernetes;

namespace Skillancer.Deploy.Verification;

/// <summary>
/// <para type="synopsis">Watches an environment's error rate in Prometheus against the runbook's thresholds, and can roll back when it must.</para>
/// </summary>
[Cmdlet(VerbsCommon.Watch, "SkErrorRate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ErrorRateSample), typeof(ErrorRateSummary), typeof(RollbackResult), typeof(bool))]
public sealed class WatchSkErrorRateCommand : KubernetesCmdlet, IChangesEnvironment
{
    private readonly List<string> _services = [];
    private readonly List<RolloutResult> _rollouts = [];
    private readonly HashSet<string> _environments = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// <para type="description">Watch these services, each with serviceErrorRateQuery. Without it the whole environment
    /// is watched with errorRateQuery. Binds from the pipeline by property name. Tab completes.</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    /// <summary>
    /// <para type="description">Rollout results from Start-SkRollout or Wait-SkRollout, from the pipeline.
    /// -AutoRollback reverts exactly these rollouts.</para>
    /// </summary>
    // PSObject, not RolloutResult: parameter types are read at import, before the engine can be resolved.
    [Parameter(ValueFromPipeline = true)]
    public PSObject[]? InputObject { get; set; }

    /// <summary>
    /// <para type="description">How long to watch: 30m, 90s, 1h or 00:30:00. Defaults to monitor.duration (30m).</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Duration { get; set; }

    /// <summary>
    /// <para type="description">How often to read the rate. Defaults to monitor.interval (5s). It may not be longer
    /// than -Duration.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Interval { get; set; }

    /// <summary>
    /// <para type="description">Thresholds as fractions, e.g. @{ Investigate = 0.02; ConsiderRollback = 0.05;
    /// ImmediateRollback = 0.08 }. Keys left out keep their configured values. Unknown keys, values outside 0–1 and
    /// values out of order fail with InvalidThresholds.</para>
    /// </summary>
    [Parameter]
    public Hashtable? Thresholds { get; set; }

    /// <summary>
    /// <para type="description">How many ImmediateRollback samples in a row fail the watch. Default 1.</para>
    /// </summary>
    [Parameter]
    public int FailureLimit { get; set; } = 1;

    /// <summary>
    /// <para type="description">How many Unknown samples in a row end the watch as Inconclusive. Default 3.</para>
    /// </summary>
    [Parameter]
    public int InconclusiveLimit { get; set; } = 3;

    /// <summary>
    /// <para type="description">End the watch (Failed) at the first sample at or above this level: Investigate,
    /// ConsiderRollback or ImmediateRollback.</para>
    /// </summary>
    [Parameter]
    [ValidateSet("Investigate", "ConsiderRollback", "ImmediateRollback")]
    public string? StopAt { get; set; }

    /// <summary>
    /// <para type="description">PromQL to use instead of the configured query. {service}, {namespace} and {environment}
    /// are filled in.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Query { get; set; }

    /// <summary>
    /// <para type="description">On a confirmed ImmediateRollback, roll back the rollouts piped in, or every service of
    /// the environment (after asking).</para>
    /// </summary>
    [Parameter]
    public SwitchParameter AutoRollback { get; set; }

    /// <summary>
    /// <para type="description">Return only $true (Passed) or $false.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>
    /// <para type="description">Accept any TLS certificate from Prometheus. Use it only for a server you trust.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        _environments.Add(TargetEnvironment.Name);
        _services.AddRange((Service ?? []).Where(s => !_services.Contains(s, StringComparer.OrdinalIgnoreCase)));
        _rollouts.AddRange((InputObject ?? []).Select(o => o.BaseObject).OfType<RolloutResult>());
    }

    /// <inheritdoc/>
    protected override void AfterInput()
    {
        ErrorRateGuardRequest.RequireOneEnvironment(_environments);
        var environment = TargetEnvironment;
        var watch = ErrorRateWatchRequest.For(environment, _services.Count == 0 ? [] : SelectServices(_services), Duration, Interval) with
        {
            Thresholds = ThresholdArgument.Merge(Thresholds, environment.Thresholds),
            FailureLimit = FailureLimit,
            InconclusiveLimit = InconclusiveLimit,
            StopAt = StopAt is null ? null : Enum.Parse<ErrorRateLevel>(StopAt, ignoreCase: true),
            Query = Query,
            SkipCertificateCheck = SkipCertificateCheck,
        };
        var request = new ErrorRateGuardRequest(watch.Validate()) { Rollouts = _rollouts, Force = Force, Kubeconfig = KubeconfigPath, Context = Context, LockWait = EnvironmentLockWait }.Validate();
        // -AutoRollback's rollback (a recovery action) is admitted now, not at the breach; declined: watch only. Rolling back
        // every service (no rollouts piped in) is confirmed even where the environment needs no approval.
        var admission = AutoRollback ? Admit(environment, Overrides, StepKind.Recovery) : null;
        ConfirmByDefault = admission is not null && _rollouts.Count == 0 && !Force;
        var result = Await((host, token) => ErrorRateGuard.GuardAsync(request with { Rollback = admission }, sample => { if (!Quiet) Emit(sample); }, host, token));
        var (output, errors) = result.Report(Quiet);
        WriteObjects(output);
        WriteErrors(errors);
    }
}
