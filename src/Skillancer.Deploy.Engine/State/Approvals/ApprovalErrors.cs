using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.State.Approvals;

/// <summary>The refusals of approvals: each says what to do next, and whom to ask.</summary>
public static class ApprovalErrors
{
    /// <summary>The command an approver runs to approve <paramref name="version"/> for <paramref name="environment"/>.</summary>
    public static string ApproveCommand(string environment, string version) => $"Approve-SkDeployment -Environment {environment} -Version {version}";

    /// <summary>A change of a version that has not enough approvals that count (ApprovalRequired).</summary>
    public static DeployException Required(string step, EnvironmentConfig environment, string version, int counted, IReadOnlyList<string> notCounted)
    {
        var rule = environment.Approval;
        var has = counted == 0 ? "has none that counts" : $"has {counted}";
        var why = notCounted.Count == 0 ? "" : $" ({string.Join("; ", notCounted)})";
        return new DeployException(StateErrors.ApprovalRequired, DeployErrorCategory.PermissionDenied,
            $"{step} of {version} to {environment.Name} needs {Approvals(rule.Required)} of {version} from {rule.DescribeApprovers()}" +
            $"{(rule.AllowSelfApproval ? "" : ", other than you")}, and {has}{why}. Nothing was changed. " +
            $"Send this to an approver: {ApproveCommand(environment.Name, version)}",
            environment.Name);
    }

    /// <summary>A change without a version in an environment that requires approval of one (ApprovalRequired).</summary>
    public static DeployException VersionRequired(string step, EnvironmentConfig environment) =>
        new(StateErrors.ApprovalRequired, DeployErrorCategory.PermissionDenied,
            $"{step} changes {environment.Name}, which requires an approved version for every change, and nothing names the release it belongs to. " +
            $"Nothing was changed. Run it again with -Version <the release, e.g. 1.2.3>, once that release is approved ({ApproveCommand(environment.Name, "<version>")}).",
            environment.Name);

    /// <summary>A change that needs approval in an environment whose cluster is not configured, where approvals are kept (ApprovalRequired).</summary>
    public static DeployException NoCluster(string step, EnvironmentConfig environment) =>
        new(StateErrors.ApprovalRequired, DeployErrorCategory.PermissionDenied,
            $"{step} changes {environment.Name}, which requires approval, and approvals are kept in the environment's cluster, which skdeploy.yml does not name. " +
            $"Nothing was changed. Add a kubernetes section (kubeconfig, context, namespace) to environments.{environment.Name}, then ask an approver to run {ApproveCommand(environment.Name, "<version>")}.",
            environment.Name);

    /// <summary>An admission that needs an approved version reached an entry point without its approvals checked.</summary>
    public static DeployException NotChecked(string step, string? environment) =>
        new(StateErrors.ApprovalRequired, DeployErrorCategory.PermissionDenied,
            $"{step} needs an approved version in {environment}, and its approvals were not checked. Nothing was changed; run it through its cmdlet, which checks them.",
            environment);

    /// <summary>The identity may not approve or revoke here (ApprovalForbidden).</summary>
    public static DeployException Forbidden(EnvironmentConfig environment, string verb, string reason) =>
        new(StateErrors.ApprovalForbidden, DeployErrorCategory.PermissionDenied,
            $"You may not {verb} for {environment.Name}: {reason.TrimEnd('.')}. Nothing was written. " +
            $"Approvers are {environment.Approval.DescribeApprovers()}, and the cluster must let them create Secrets in {environment.Kubernetes.Namespace} " +
            "(README.md, \"Kubernetes: who may approve\"). Ask one of them.",
            environment.Name);

    private static string Approvals(int count) => count == 1 ? "1 approval" : $"{count} approvals";
}
