using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification.Analysis;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Verification;

/// <summary>
/// <para type="synopsis">Compares each service's error ratio, request rate, latency, CPU and memory after a deployment with the window before it and a week earlier.</para>
/// </summary>
[Cmdlet(VerbsData.Compare, "SkDeploymentMetric")]
[OutputType(typeof(MetricComparison), typeof(bool))]
public sealed class CompareSkDeploymentMetricCommand : ConfiguredCmdlet
{
    private bool _regressed;
    private bool _unfinished;

    /// <summary>
    /// <para type="description">The environment, from skdeploy.yml; it needs a prometheus section. Binds from the pipeline by
    /// property name (a deployment run or record).</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Compare only these services; all of the environment's when omitted. Binds from the pipeline by
    /// property name. Tab completes.</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    /// <summary>
    /// <para type="description">When the deployment finished: a time (DateTimeOffset, DateTime or a string), or a deployment run
    /// from Invoke-SkDeployment or a record from Get-SkDeploymentLog, by the pipeline too: then the end of its Rollout (or
    /// Canary) step. It may not be in the future.</para>
    /// </summary>
    // object, not DeploymentRun: parameter types are read at import, before the engine can be resolved.
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object? Since { get; set; }

    /// <summary>
    /// <para type="description">How long a window to compare on each side of -Since, e.g. 30m, 10s or 00:30:00.
    /// Default 1h. The window after the deployment ends now when that is sooner; it needs at least three scrapes.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan Baseline { get; set; } = ComparisonRequest.DefaultBaseline;

    /// <summary>
    /// <para type="description">Return only $true when no metric Regressed, else $false.</para>
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
        // An input that fails (bad -Since, unknown service) leaves this set: -Quiet then says $false.
        _unfinished = true;
        var environment = Config.Environment(Environment);
        var (since, from) = DeploymentTime.Read(Since);
        if (from is not null && !string.Equals(from, environment.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw TargetMismatch.Refuse($"-Since is a deployment of '{from}', but -Environment is '{environment.Name}'. Compare it in {from}: pipe it in without -Environment.", Since);
        }

        var services = Service is null ? environment.Services : Service.Select(environment.Service).Distinct().ToList();
        var request = new ComparisonRequest(environment, services, since, Baseline) { SkipCertificateCheck = SkipCertificateCheck }.Validate();
        var rows = Await((host, token) => MetricComparer.CompareAsync(request, host, token));
        var regressed = rows.Where(r => r.Verdict == MetricVerdict.Regressed).ToList();
        _regressed |= regressed.Count > 0;
        _unfinished = false;
        if (Quiet)
        {
            return;
        }

        WriteObjects(rows);
        if (regressed.Count > 0)
        {
            WriteError(new DeployException(MetricComparer.MetricsRegressed, DeployErrorCategory.InvalidResult,
                $"{environment.Name}: {string.Join("; ", regressed.Select(r => $"{r.Service} {r.Metric} ({r.Against}): {r.Reason}"))}. Look at the dashboards, and consider Undo-SkDeployment.",
                regressed));
        }
    }

    /// <inheritdoc/>
    protected override void AfterInput()
    {
        if (Quiet)
        {
            WriteObject(!_regressed && !_unfinished);
        }
    }
}
