using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification.Smoke;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Verification;

/// <summary>
/// <para type="synopsis">Runs an environment's smoke tests: its configured HTTP checks, a Pester smoke suite, and an external command.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "SkSmokeTest")]
[OutputType(typeof(SmokeResult), typeof(bool))]
public sealed class InvokeSkSmokeTestCommand : ConfiguredCmdlet
{
    private readonly List<string> _environments = [];

    /// <summary>
    /// <para type="description">The environment to test. Binds from the pipeline by property name. Tab completes from
    /// the configuration.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Run only the configured checks whose names match. Wildcards are allowed. A name that
    /// matches no check fails with SmokeCheckNotFound, which lists the checks there are, before anything runs. Tab
    /// completes from the smoke: list of the environment typed.</para>
    /// </summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SmokeCheckNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>
    /// <para type="description">A Pester 5 suite (folder or *.Tests.ps1 file) to run in a child PowerShell. A missing
    /// path fails with SmokeSuiteNotFound; a missing Pester with PesterNotFound.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// <para type="description">A command line to run in a child PowerShell, such as 'pnpm
    /// test:smoke:production'.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Command { get; set; }

    /// <summary>
    /// <para type="description">Leave out the configured checks; run only -Path and -Command.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter SkipConfigured { get; set; }

    /// <summary>
    /// <para type="description">How many checks run at once, 1 to 64. Default 5.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 5;

    /// <summary>
    /// <para type="description">How long the Pester suite or the command may run. Default 10m.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? ProcessTimeout { get; set; }

    /// <summary>
    /// <para type="description">Accept any TLS certificate. Use it only for an environment you trust.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>
    /// <para type="description">Return only $true (every check passed, none failed) or $false.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var name = Config.Environment(Environment).Name;
        if (!_environments.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            _environments.Add(name);
        }
    }

    /// <inheritdoc/>
    protected override void AfterInput()
    {
        var suite = Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path);
        // Every environment's -Name is checked before the first request goes out.
        // The configured suites run with the configured checks, unless -Name picks checks or -SkipConfigured leaves them out.
        var requests = _environments.Select(Config.Environment).Select(environment => new SmokeRequest(environment, SkipConfigured ? [] : SmokeSelection.Select(environment, Name))
        {
            PesterPath = suite,
            PesterModule = suite is null ? null : ChildPowerShell.PesterModule(InvokeCommand),
            Command = Command,
            Suites = SkipConfigured || Name is { Length: > 0 } ? [] : environment.SmokeSuites,
            WorkingDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath,
            Pwsh = ChildPowerShell.Program(SessionState),
            ThrottleLimit = ThrottleLimit,
            ProcessTimeout = ProcessTimeout ?? TimeSpan.FromMinutes(10),
            SkipCertificateCheck = SkipCertificateCheck,
        }).ToList();
        var gate = Await((host, token) => SmokeRunner.VerifyAsync(requests, host, token));
        WriteGate(gate, Quiet);
    }
}
