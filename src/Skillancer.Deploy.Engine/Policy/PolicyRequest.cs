using Skillancer.Deploy.Engine.Configuration;

namespace Skillancer.Deploy.Engine.Policy;

/// <summary>What a state-changing step asks the environment's policy before its first change.</summary>
/// <param name="Environment">The environment the step changes; only its own policy applies.</param>
/// <param name="Step">The step, as the user named it (e.g. <c>Start-SkRollout</c>), for messages.</param>
/// <param name="Kind">A change, or a recovery action that the schedule never blocks.</param>
/// <param name="Overrides">-Emergency, -Reason and -Force as the user gave them.</param>
public sealed record PolicyRequest(EnvironmentConfig Environment, string Step, StepKind Kind, PolicyOverrides Overrides);

/// <summary>How the schedule treats a step.</summary>
public enum StepKind
{
    /// <summary>A change (rollout, migration, flag, CDN...): refused outside the deployment windows when the schedule is enforced.</summary>
    Change,
    /// <summary>A recovery action (undo, canary stop, the flag kill switch): never blocked by the schedule.</summary>
    Recovery,
}

/// <summary>The user's overrides of the policy: an emergency, with its reason. Nothing overrides a required approval.</summary>
/// <param name="Emergency">Lets a change through outside the deployment windows; needs <paramref name="Reason"/>.</param>
/// <param name="Reason">Why the emergency cannot wait.</param>
public sealed record PolicyOverrides(bool Emergency = false, string? Reason = null)
{
    /// <summary>No overrides.</summary>
    public static PolicyOverrides None { get; } = new();

    /// <summary>Fails with EmergencyReasonRequired when -Emergency comes without a reason: the one rule for every command.</summary>
    public void Validate()
    {
        if (Emergency && string.IsNullOrWhiteSpace(Reason))
        {
            throw PolicyErrors.EmergencyReasonRequired();
        }
    }
}
