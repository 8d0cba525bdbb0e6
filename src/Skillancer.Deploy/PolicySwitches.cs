using System.Management.Automation;

namespace Skillancer.Deploy;

/// <summary>
/// A cmdlet that changes an environment: it takes <see cref="PolicySwitches"/> and asks the environment's
/// policy (<see cref="ConfiguredCmdlet.Admit"/>) before its first change.
/// </summary>
public interface IChangesEnvironment
{
}

/// <summary>
/// -Emergency, -Reason and -Force: how the user overrides the environment's policy. Every cmdlet that changes an
/// environment (<see cref="IChangesEnvironment"/>) takes them, declared once here and added to the cmdlet as
/// dynamic parameters by <see cref="ConfiguredCmdlet"/>, whatever the cmdlet's base class (cluster, database or
/// other). Only PowerShell types here: parameter types are read at import, before the engine can be resolved.
/// </summary>
public class PolicySwitches
{
    /// <summary>
    /// <para type="description">An emergency: lets the change through outside the deployment windows of an environment
    /// that enforces the schedule (enforceSchedule: true). Requires -Reason, and writes the runbook's emergency duties as
    /// warnings. It does not skip a required approval: an emergency in production still needs its version approved
    /// (Approve-SkDeployment, run by an approver).</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Emergency { get; set; }

    /// <summary>
    /// <para type="description">Why the emergency cannot wait. Required with -Emergency; without it the command fails
    /// with EmergencyReasonRequired before it changes anything.</para>
    /// </summary>
    [Parameter]
    public string? Reason { get; set; }

    /// <summary>
    /// <para type="description">Confirms the change in advance: the question an environment that requires approval
    /// (requireApproval: true) asks before a change, and any question the command itself asks before it changes
    /// something. In a non-interactive host (CI, pwsh -NonInteractive) the command otherwise fails with
    /// ConfirmationRequired; -Confirm:$false confirms the first question too. It never replaces the approval itself: the
    /// version still needs an approver's Approve-SkDeployment.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }
}

/// <summary>
/// The policy's switches and -LockTimeout, for a cmdlet that changes an environment's cluster and so takes the
/// environment's lock (a Lease) around its change.
/// </summary>
public sealed class LockingPolicySwitches : PolicySwitches
{
    /// <summary>
    /// <para type="description">How long to wait for another action that holds the environment's lock (a Lease named
    /// skdeploy-&lt;environment&gt;). Default 0: fail at once with DeploymentLocked, naming the holder, what it does and
    /// since when.</para>
    /// </summary>
    [Parameter]
    [Hosting.DurationTransformation]
    public TimeSpan LockTimeout { get; set; }
}
