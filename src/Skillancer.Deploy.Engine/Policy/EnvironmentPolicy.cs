using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Schedule;

namespace Skillancer.Deploy.Engine.Policy;

/// <summary>
/// The environment's policy, decided in one place: every state-changing step asks <see cref="Admit"/>
/// before its first change. It applies the target environment's own <c>enforceSchedule</c> (refuse
/// outside the deployment windows unless -Emergency -Reason; recovery actions are never blocked) and
/// <c>requireApproval</c>: a change there is admitted only on condition that its version has a second person's
/// recorded approval, which <see cref="State.Approvals.ApprovalGate"/> checks in the cluster before the first change
/// (nobody at the keyboard can answer for it, and -Force does not skip it; recovery actions need none).
/// </summary>
public sealed class EnvironmentPolicy
{
    private readonly DeploymentSchedule _schedule;
    private readonly TimeProvider _clock;

    /// <summary>Creates the policy for a configuration's schedule; <paramref name="clock"/> defaults to the system clock.</summary>
    public EnvironmentPolicy(ScheduleSettings schedule, TimeProvider? clock = null)
    {
        _schedule = new DeploymentSchedule(schedule);
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// Decides whether the step may change its environment now: the <see cref="Admission"/> to pass to the step's
    /// entry point, which, in an environment that requires approval, still needs its version's approvals checked
    /// (<see cref="Admission.NeedsApproval"/>). Under -WhatIf the admission only lets the step describe itself (the
    /// host is describe-only). Throws DeploymentWindowClosed or EmergencyReasonRequired.
    /// </summary>
    public Admission Admit(PolicyRequest request, OperationHost host)
    {
        request.Overrides.Validate();
        CheckSchedule(request, host);
        if (request.Overrides.Emergency)
        {
            host.Warning($"Emergency change to {request.Environment.Name}: {request.Overrides.Reason}. The runbook requires:");
            foreach (var duty in DeploymentSchedule.EmergencyDuties)
            {
                host.Warning($"  - {duty}");
            }
        }

        return new Admission(request.Environment.Name, request.Step, request.Kind)
        {
            EmergencyReason = request.Overrides.Emergency ? request.Overrides.Reason : null,
            // Under -WhatIf nothing changes, so there is nothing to approve: the step only describes itself.
            NeedsApproval = request.Environment.RequireApproval && request.Kind == StepKind.Change && !host.DescribeOnly,
        };
    }

    /// <summary>
    /// The admission of a journaled action that changes no deployment (an approval given or revoked): it keeps the
    /// environment's record of who did it, so it is admitted as a recovery action, which the schedule never blocks.
    /// </summary>
    public static Admission Bookkeeping(EnvironmentConfig environment, string step) => new(environment.Name, step, StepKind.Recovery);

    /// <summary>
    /// The admission of a step on a database named only by a connection string or $env:DATABASE_URL: it has
    /// no environment, so there is no policy to ask.
    /// </summary>
    public static Admission WithoutEnvironment(string step) => new(null, step, StepKind.Change);

    private void CheckSchedule(PolicyRequest request, OperationHost host)
    {
        if (request.Kind == StepKind.Recovery || !request.Environment.EnforceSchedule)
        {
            return;
        }

        var decision = _schedule.Check(_clock.GetUtcNow(), request.Environment);
        if (decision.Allowed || request.Overrides.Emergency)
        {
            host.Verbose($"Schedule of {request.Environment.Name}: {decision.Reason}");
            return;
        }

        if (!host.DescribeOnly)
        {
            throw PolicyErrors.WindowClosed(request, decision);
        }

        host.Warning($"What if: {PolicyErrors.WindowClosed(request, decision, describeOnly: true).Message}");
    }
}
