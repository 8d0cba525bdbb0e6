using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Schedule;

namespace Skillancer.Deploy.Engine.Policy;

/// <summary>
/// The environment's policy, decided in one place: every state-changing step asks <see cref="Admit"/>
/// before its first change. It applies the target environment's own <c>enforceSchedule</c> (refuse
/// outside the deployment windows unless -Emergency -Reason; recovery actions are never blocked) and
/// <c>requireApproval</c> (confirm, even under -Confirm:$false, unless -Force; refuse with
/// ConfirmationRequired when nobody can answer). How approval is obtained lives only here, so a
/// recorded approval by a second person replaces <see cref="Approve"/> and nothing else.
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
    /// Decides whether the step may change its environment now: an <see cref="Admission"/> to pass to the
    /// step's entry point, or null when the user said no (change nothing). Under -WhatIf nobody is asked and
    /// the admission only lets the step describe itself (the host is describe-only). Throws
    /// DeploymentWindowClosed, ConfirmationRequired or EmergencyReasonRequired.
    /// </summary>
    public Admission? Admit(PolicyRequest request, OperationHost host)
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

        var answer = host.DescribeOnly ? Approval.WhatIf : Approve(request, host);
        return answer == Approval.Declined
            ? null
            : new Admission(request.Environment.Name, request.Step, request.Kind) { EmergencyReason = request.Overrides.Emergency ? request.Overrides.Reason : null };
    }

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

    // Today's approval: the person at the keyboard confirms. A recorded approval replaces this method.
    private static Approval Approve(PolicyRequest request, OperationHost host)
    {
        if (!request.Environment.RequireApproval || request.Overrides.Force)
        {
            return Approval.Approved;
        }

        var question = $"{request.Environment.Name} requires approval (requireApproval: true). Go ahead with {request.Step}?";
        return host.Confirm(request.Environment.Name, question) switch
        {
            Confirmation.Yes => Approval.Approved,
            Confirmation.No => Approval.Declined,
            _ => throw PolicyErrors.ConfirmationRequired(request.Step, $"'{request.Environment.Name}'", "-Force", "it requires approval: requireApproval: true"),
        };
    }
}
