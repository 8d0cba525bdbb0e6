using System.Management.Automation;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.State.Approvals;
using Skillancer.Deploy.Kubernetes;

namespace Skillancer.Deploy.State;

/// <summary>
/// <para type="synopsis">Approves a version for an environment that requires approval, as the approver the cluster authenticates. Journaled.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Approve, "SkDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DeploymentApproval))]
public sealed class ApproveSkDeploymentCommand : KubernetesCmdlet
{
    /// <summary>
    /// <para type="description">The release approved: 1.2.3 or v1.2.3 (a full SemVer version; kept as the tag v1.2.3).
    /// Binds from the pipeline by property name, so a release or a refused rollout's record can be piped in.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Version { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">What the approval says: a change ticket, a condition. Stored in the approval and the
    /// journal, readable by everyone who deploys: never put a secret in it.</para>
    /// </summary>
    [Parameter]
    public string? Comment { get; set; }

    /// <summary>
    /// <para type="description">How long the approval counts: 30m, 2h or 02:00:00. Default and longest: the
    /// environment's approval.validFor (8h unless configured). Anything else is InvalidApproval.</para>
    /// </summary>
    [Parameter]
    [Hosting.DurationTransformation]
    public TimeSpan? ValidFor { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var request = new ApprovalRequest(environment, Version, Comment, ValidFor);
        request.Validate();
        var admission = EnvironmentPolicy.Bookkeeping(environment, MyInvocation.MyCommand.Name);
        if (OnCluster(environment, (cluster, host, token) => ApprovalWriter.ApproveAsync(cluster, request, admission, host, token)) is { } approval)
        {
            WriteObject(approval);
        }
    }
}
