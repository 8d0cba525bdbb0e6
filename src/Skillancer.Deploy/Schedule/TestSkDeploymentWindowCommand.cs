using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Schedule;

namespace Skillancer.Deploy.Schedule;

/// <summary>
/// <para type="synopsis">Tests whether a deployment may start now (or at -At) under the runbook's deployment schedule.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SkDeploymentWindow")]
[OutputType(typeof(WindowDecision), typeof(bool))]
public sealed class TestSkDeploymentWindowCommand : ConfiguredCmdlet
{
    /// <summary>
    /// <para type="description">The instant to test. Defaults to now. A time without an offset is read as local time;
    /// write '2026-12-01T15:00:00Z' for UTC.</para>
    /// </summary>
    [Parameter(Position = 1)]
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// <para type="description">The environment to deploy to. An environment with enforceSchedule: false in the
    /// configuration is always allowed. When given, the configuration file must exist. Tab completes from the
    /// configuration.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Environment { get; set; }

    /// <summary>
    /// <para type="description">Lets the deployment through whatever the schedule says. Requires -Reason, and writes
    /// the runbook's emergency duties as warnings.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Emergency { get; set; }

    /// <summary>
    /// <para type="description">Why this deployment cannot wait. Required with -Emergency; without it the command fails
    /// with EmergencyReasonRequired.</para>
    /// </summary>
    [Parameter]
    public string? Reason { get; set; }

    /// <summary>
    /// <para type="description">Returns only $true (allowed) or $false.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void BeforeInput()
    {
        new PolicyOverrides(Emergency, Reason).Validate();
    }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var config = Environment is null ? OptionalConfig : Config;
        if (config is null)
        {
            WriteVerbose("No skdeploy.yml found; using the runbook's schedule.");
        }

        var schedule = new DeploymentSchedule(config?.Schedule ?? Engine.Configuration.ScheduleSettings.Runbook);
        var decision = schedule.Test(At, Environment is null ? null : config!.Environment(Environment), new PolicyOverrides(Emergency, Reason));
        if (decision.Emergency)
        {
            WriteWarning($"Emergency deployment: {Reason}. The runbook requires:");
            foreach (var duty in decision.Duties)
            {
                WriteWarning($"  - {duty}");
            }
        }

        WriteObject(Quiet ? decision.Allowed : decision);
    }
}
