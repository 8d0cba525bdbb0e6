using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Schedule;

namespace Skillancer.Deploy.Engine.Policy;

/// <summary>The refusals of the environment policy.</summary>
public static class PolicyErrors
{
    /// <summary>The emergency path, as every message spells it.</summary>
    public const string EmergencyPath = "-Emergency -Reason '<what is broken and why it cannot wait>'";

    /// <summary>-Emergency without a reason.</summary>
    public static DeployException EmergencyReasonRequired() =>
        new("EmergencyReasonRequired", DeployErrorCategory.InvalidArgument,
            $"An emergency deployment needs a reason. Run again with {EmergencyPath}.", "Reason");

    /// <summary>A change outside the deployment windows of an environment that enforces the schedule.</summary>
    public static DeployException WindowClosed(PolicyRequest request, WindowDecision decision, bool describeOnly = false) =>
        new("DeploymentWindowClosed", DeployErrorCategory.PermissionDenied,
            $"{request.Step} {(describeOnly ? "would be" : "is")} refused: '{request.Environment.Name}' enforces the deployment schedule (enforceSchedule: true). "
            + $"{decision.Reason} Wait for the window, or, if this cannot wait, run again with {EmergencyPath}.",
            request.Environment.Name);

    /// <summary>A confirmation is needed and nobody can answer it (a non-interactive host).</summary>
    public static DeployException ConfirmationRequired(string step, string target, string switchToAdd, string why) =>
        new("ConfirmationRequired", DeployErrorCategory.PermissionDenied,
            $"{step} needs a confirmation for {target} ({why}), and this host cannot ask for one (it is non-interactive). "
            + $"Run again with {switchToAdd} to confirm in advance.",
            target);

    /// <summary>A change attempted under an admission for a recovery action (which the schedule does not check).</summary>
    public static DeployException NotAdmitted(string step, string target) =>
        new("ChangeNotAdmitted", DeployErrorCategory.PermissionDenied,
            $"{step} was admitted to {target} as a recovery action, which does not cover a change. Nothing was changed; run the change as its own command.",
            target);
}
