using System.Management.Automation;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.State.Approvals;
using Skillancer.Deploy.Kubernetes;

namespace Skillancer.Deploy.State;

/// <summary>
/// <para type="synopsis">Revokes an approval: it stops counting at once. Journaled.</para>
/// </summary>
[Cmdlet(VerbsSecurity.Revoke, "SkApproval", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DeploymentApproval))]
public sealed class RevokeSkApprovalCommand : KubernetesCmdlet
{
    /// <summary>
    /// <para type="description">The approval's id, as Get-SkApproval shows it (e.g. 20261204-101502-9f3a). Binds from
    /// the pipeline by property name: pipe Get-SkApproval into it. An id with no approval is ApprovalNotFound.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var admission = EnvironmentPolicy.Bookkeeping(environment, MyInvocation.MyCommand.Name);
        if (OnCluster(environment, (cluster, host, token) => ApprovalWriter.RevokeAsync(cluster, environment, Id, admission, host, token)) is { } revoked)
        {
            WriteObject(revoked);
        }
    }
}
