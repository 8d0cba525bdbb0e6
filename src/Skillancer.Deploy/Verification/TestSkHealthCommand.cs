using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification;

namespace Skillancer.Deploy.Verification;

/// <summary>
/// <para type="synopsis">Checks the health endpoints of an environment's services, all at once.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SkHealth")]
[OutputType(typeof(HealthResult), typeof(bool))]
public sealed class TestSkHealthCommand : ConfiguredCmdlet
{
    private readonly List<HealthTarget> _targets = [];
    private bool _inputFailed;
    private HealthCheckOptions _options = HealthCheckOptions.Default;

    /// <summary>
    /// <para type="description">The environment whose services are checked. Binds from the pipeline by property name.
    /// Tab completes from the configuration.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The services to check. Defaults to every service of the environment that has a health
    /// endpoint. Binds from the pipeline by property name. Tab completes from the configuration.</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    /// <summary>
    /// <para type="description">How long one attempt may take, in seconds (fractions allowed). Default 10. Zero or less
    /// fails with InvalidTimeout.</para>
    /// </summary>
    [Parameter]
    public double TimeoutSec { get; set; } = 10;

    /// <summary>
    /// <para type="description">How many more attempts follow a failed one. Default 0. Negative values fail with
    /// InvalidRetry.</para>
    /// </summary>
    [Parameter]
    public int Retry { get; set; }

    /// <summary>
    /// <para type="description">Seconds to wait between attempts. Default 2.</para>
    /// </summary>
    [Parameter]
    public double RetryIntervalSec { get; set; } = 2;

    /// <summary>
    /// <para type="description">Accepts any TLS certificate. Use it only for endpoints you trust, such as a self-signed
    /// test host.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>
    /// <para type="description">Returns only $true, when every checked service is healthy, or $false.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void BeforeInput() =>
        _options = HealthCheckOptions.FromSeconds(TimeoutSec, Retry, RetryIntervalSec, SkipCertificateCheck);

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        try
        {
            var environment = Config.Environment(Environment);
            var services = Service?.Select(environment.Service).ToList()
                ?? environment.Services.Where(s => s.Health is not null).ToList();
            foreach (var service in services)
            {
                if (!_targets.Any(t => t.Environment == service.Environment && t.Service == service.Name))
                {
                    _targets.Add(HealthTargets.For(service));
                }
            }
        }
        catch (DeployException e)
        {
            _inputFailed = true;
            WriteError(e);
        }
    }

    /// <inheritdoc/>
    protected override void AfterInput()
    {
        var gate = Await((host, token) => HealthChecker.VerifyAsync(_targets, _options, host, token));
        WriteGate(gate, Quiet, gate.Results.Count > 0 && gate.Passed && !_inputFailed);
    }
}
