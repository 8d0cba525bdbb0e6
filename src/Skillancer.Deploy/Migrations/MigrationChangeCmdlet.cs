using System.Management.Automation;
using Skillancer.Deploy.Engine.Policy;

namespace Skillancer.Deploy.Migrations;

/// <summary>A <see cref="MigrationCmdlet"/> that changes the database: the switches of <see cref="ChangeCmdlet"/>.</summary>
public abstract class MigrationChangeCmdlet : MigrationCmdlet
{
    /// <summary>
    /// <para type="description">An emergency: lets the change through outside the deployment windows of an environment
    /// that enforces the schedule (enforceSchedule: true). Requires -Reason, and writes the runbook's emergency duties as
    /// warnings. It does not skip the approval; add -Force for that.</para>
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
    /// <para type="description">Confirms in advance a change to an environment that requires approval
    /// (requireApproval: true), which otherwise asks even under -Confirm:$false. Needed in a non-interactive host
    /// (CI, pwsh -NonInteractive), where the command otherwise fails with ConfirmationRequired.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>-Emergency, -Reason and -Force, for the environment policy.</summary>
    protected PolicyOverrides Overrides => new(Emergency, Reason, Force);

    /// <summary>
    /// Asks the policy of the environment named by -Environment; a database named only by -ConnectionString or
    /// $env:DATABASE_URL has no environment and so no policy.
    /// </summary>
    protected Admission? Admit() =>
        TargetEnvironment is { } environment ? Admit(environment, Overrides) : EnvironmentPolicy.WithoutEnvironment(MyInvocation.MyCommand.Name);
}
