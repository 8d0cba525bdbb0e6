using System.Management.Automation;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy;

/// <summary>
/// A cmdlet that reads <c>skdeploy.yml</c>. The file is found once per invocation (-ConfigPath,
/// then $env:SKDEPLOY_CONFIG, then the nearest skdeploy.yml upwards) and its warnings are shown once.
/// </summary>
public abstract class ConfiguredCmdlet : DeployCmdlet, IDynamicParameters
{
    private PolicySwitches? _switches;
    private readonly Dictionary<string, DeployConfig> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Environment, StepKind Kind), Admission> _admitted = [];

    /// <summary>
    /// <para type="description">The configuration file to read. When omitted, $env:SKDEPLOY_CONFIG is used, then the
    /// nearest skdeploy.yml upwards.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>-Emergency, -Reason and -Force as given, for a cmdlet that changes an environment.</summary>
    protected PolicyOverrides Overrides => new(Switches.Emergency, Switches.Reason, Switches.Force);

    /// <summary>-Force: the change, and any question of the cmdlet's own before it, confirmed in advance.</summary>
    protected bool Force => Switches.Force;

    /// <summary>The policy's switches as given.</summary>
    protected PolicySwitches Switches => _switches ??= NewSwitches();

    /// <summary>The policy's switches (<see cref="PolicySwitches"/>), for a cmdlet that changes an environment.</summary>
    public object? GetDynamicParameters() => this is IChangesEnvironment ? Switches : null;

    /// <summary>The switches this kind of cmdlet takes: <see cref="PolicySwitches"/>, or more.</summary>
    protected virtual PolicySwitches NewSwitches() => new();

    /// <summary>The configuration of this invocation, loaded on first use.</summary>
    protected DeployConfig Config => Load(ConfigLocator.Locate(ResolvedConfigPath, CurrentDirectory));

    /// <summary>The configuration, or null when none is named and none is found upwards.</summary>
    protected DeployConfig? OptionalConfig
    {
        get
        {
            if (ResolvedConfigPath is not null || Environment.GetEnvironmentVariable(ConfigLocator.EnvironmentVariable) is { Length: > 0 })
            {
                return Config;
            }

            var found = ConfigLocator.FindUpwards(CurrentDirectory);
            return found is null ? null : Load(found);
        }
    }

    /// <summary>
    /// Asks the target environment's policy (schedule, approval) whether this step may change it now: the
    /// <see cref="Admission"/> to hand to the step's engine entry point, or null when the user declined. Throws
    /// DeploymentWindowClosed, ConfirmationRequired or EmergencyReasonRequired. Once admitted, the step's changes
    /// are confirmed one by one only when -Confirm is given.
    /// </summary>
    protected Admission? Admit(EnvironmentConfig environment, PolicyOverrides overrides, StepKind kind = StepKind.Change)
    {
        // Piped objects for the same environment are admitted once per invocation: one question, not one per object.
        if (_admitted.TryGetValue((environment.Name, kind), out var admitted))
        {
            return admitted;
        }

        var host = new OperationHost(WriteVerbose, WriteWarning, _ => { }, Approve, AskToConfirm, DescribeOnly);
        var request = new PolicyRequest(environment, MyInvocation.MyCommand.Name, kind, overrides);
        var admission = new EnvironmentPolicy(Config.Schedule).Admit(request, host);
        ConfirmByDefault = false;
        if (admission is not null && !DescribeOnly)
        {
            _admitted[(environment.Name, kind)] = admission;
        }

        return admission;
    }

    private string CurrentDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    private string? ResolvedConfigPath => ConfigPath is null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath);

    private DeployConfig Load(string path)
    {
        if (_loaded.TryGetValue(path, out var loaded))
        {
            return loaded;
        }

        WriteVerbose($"Reading configuration {path}");
        var config = _loaded[path] = ConfigLoader.Load(path);
        foreach (var warning in config.Warnings)
        {
            WriteWarning(warning.ToString());
        }

        return config;
    }
}
