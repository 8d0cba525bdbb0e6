using System.Management.Automation;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Journal;

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

    /// <summary>-Emergency and -Reason as given, for a cmdlet that changes an environment.</summary>
    protected PolicyOverrides Overrides => new(Switches.Emergency, Switches.Reason);

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
    /// <see cref="Admission"/> to hand to the step's engine entry point, or null when the user declined. In an
    /// environment that requires approval the user confirms the step once, up front (-Force or -Confirm:$false
    /// confirm in advance; a host that cannot ask throws ConfirmationRequired); the version's recorded approvals are
    /// then checked in the cluster before the first change. Throws DeploymentWindowClosed, ConfirmationRequired or
    /// EmergencyReasonRequired. Once admitted, the step's changes are confirmed one by one only when -Confirm is given.
    /// </summary>
    protected Admission? Admit(EnvironmentConfig environment, PolicyOverrides overrides, StepKind kind = StepKind.Change)
    {
        // Piped objects for the same environment are admitted once per invocation: one question, not one per object.
        if (_admitted.TryGetValue((environment.Name, kind), out var admitted))
        {
            return admitted;
        }

        var host = new OperationHost(WriteVerbose, WriteWarning, _ => { }, Approve, DescribeOnly);
        var step = MyInvocation.MyCommand.Name;
        var admission = new EnvironmentPolicy(Config.Schedule).Admit(new PolicyRequest(environment, step, kind, overrides), host);
        if (!DescribeOnly && environment.RequireApproval && !ConfirmedInAdvance)
        {
            var question = $"{environment.Name} requires approval (requireApproval: true). Go ahead with {step}?";
            switch (AskToConfirm(environment.Name, question))
            {
                case Confirmation.No:
                    return null;
                case Confirmation.NoOneToAsk:
                    throw PolicyErrors.ConfirmationRequired(step, $"'{environment.Name}'", "-Force (or -Confirm:$false)", "it requires approval: requireApproval: true");
            }
        }

        ConfirmByDefault = false;
        if (!DescribeOnly)
        {
            _admitted[(environment.Name, kind)] = admission;
        }

        return admission;
    }

    /// <summary>
    /// Runs an admitted change of an action that does not change the cluster itself (a flag, the CDN, migrations, a
    /// Vercel deploy, a notice) the way every change runs: through <see cref="EnvironmentChange"/>, in the environment's
    /// cluster when skdeploy.yml gives it a kubernetes section (its version's approvals checked, under its lock, recorded
    /// in its journal), and without lock or record otherwise. -WhatIf touches no cluster.
    /// </summary>
    protected T OnEnvironment<T>(Admission admission, EnvironmentConfig environment, RecordSubject subject, Func<OperationHost, CancellationToken, Task<T>> operation) =>
        Change(admission, environment, subject, environment.Kubernetes.Configured && !DescribeOnly, (_, host, token) => operation(host, token));

    /// <summary>
    /// The one frame of every change: the request validated (-LockTimeout) before anything is asked; then, in one
    /// <see cref="DeployCmdlet.Await{T}"/>, the cluster opened when <paramref name="connect"/> and the operation run
    /// through <see cref="EnvironmentChange"/>, or only described under -WhatIf (no lock, no record).
    /// </summary>
    private protected T Change<T>(
        Admission admission, EnvironmentConfig environment, RecordSubject subject, bool connect, Func<ClusterConnection?, OperationHost, CancellationToken, Task<T>> operation)
    {
        var request = new ChangeRequest(environment, admission, subject) { LockWait = EnvironmentLockWait }.Validate();
        var open = connect ? ClusterOpener(environment) : null;
        var describeOnly = DescribeOnly;
        return Await(async (host, token) =>
        {
            using var cluster = open?.Invoke(host);
            return describeOnly
                ? await operation(cluster, host, token).ConfigureAwait(false)
                : await EnvironmentChange.RunAsync(cluster, request, host, guarded => operation(cluster, host, guarded), token).ConfigureAwait(false);
        });
    }

    /// <summary>A release's version as the tag the journal and approvals know it by (1.2.3 and v1.2.3 become v1.2.3); InvalidVersion otherwise.</summary>
    protected static string? ReleaseTag(string? version) => version is null ? null : Engine.Kubernetes.Rollout.ImageTags.FromVersion(version);

    /// <summary>How to connect to the environment's cluster, decided on the pipeline thread: from its kubernetes section.</summary>
    protected virtual Func<OperationHost, ClusterConnection> ClusterOpener(EnvironmentConfig environment) =>
        host => ClusterConnection.Open(environment.Kubernetes, null, null, host);

    /// <summary>How long a change waits for another holder of the environment's lock: -LockTimeout where the cmdlet has it, else not at all.</summary>
    protected virtual TimeSpan EnvironmentLockWait => Switches is LockingPolicySwitches locking ? locking.LockTimeout : TimeSpan.Zero;

    // -Force, or -Confirm:$false: the change confirmed in advance.
    private bool ConfirmedInAdvance =>
        Force || (MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && confirm is SwitchParameter { IsPresent: false } or false);

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
