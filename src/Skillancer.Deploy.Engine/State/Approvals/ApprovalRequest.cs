using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.State.Approvals;

/// <summary>Approve-SkDeployment: a version approved for an environment, for a while, with a comment.</summary>
/// <param name="Environment">The environment that requires approval.</param>
/// <param name="Version">The release approved: 1.2.3 or v1.2.3 (kept as its tag, v1.2.3).</param>
/// <param name="Comment">What the approver says (a ticket, a condition); never a secret.</param>
/// <param name="ValidFor">How long it counts; null for the environment's approval.validFor, never longer than it.</param>
public sealed record ApprovalRequest(EnvironmentConfig Environment, string Version, string? Comment, TimeSpan? ValidFor)
{
    /// <summary>
    /// The version as its tag and how long the approval counts; InvalidVersion, or InvalidApproval for an environment that
    /// requires no approval or a -ValidFor that is not positive or is longer than approval.validFor. Checked before any request.
    /// </summary>
    public (string Tag, TimeSpan ValidFor) Validate()
    {
        if (!Environment.RequireApproval)
        {
            throw Invalid($"{Environment.Name} does not require approval (requireApproval is not set), so an approval there would count for nothing. " +
                "Check -Environment, or set requireApproval: true for it in skdeploy.yml.", Environment.Name);
        }

        var tag = ImageTags.FromVersion(Version);
        var limit = Environment.Approval.ValidFor;
        var validFor = ValidFor ?? limit;
        if (validFor <= TimeSpan.Zero || validFor > limit)
        {
            throw Invalid($"-ValidFor {validFor} is not usable: an approval of {Environment.Name} counts for more than zero and at most {limit} (approval.validFor). " +
                "Pass a shorter -ValidFor, such as 2h, or leave it out.", validFor);
        }

        return (tag, validFor);
    }

    private static DeployException Invalid(string message, object? target) =>
        new(StateErrors.InvalidApproval, DeployErrorCategory.InvalidArgument, message, target);
}
