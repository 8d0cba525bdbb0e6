using System.Management.Automation;
using Skillancer.Deploy.Engine.State.Approvals;
using Skillancer.Deploy.Kubernetes;

namespace Skillancer.Deploy.State;

/// <summary>
/// <para type="synopsis">Lists an environment's approvals, newest first: who approved which version, until when, and whether each still counts.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SkApproval")]
[OutputType(typeof(DeploymentApproval))]
public sealed class GetSkApprovalCommand : KubernetesCmdlet
{
    /// <summary>
    /// <para type="description">Only approvals of this version (1.2.3 and v1.2.3 alike). Binds from the pipeline by
    /// property name.</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        WriteObjects(OnCluster(environment, (cluster, _, token) => ApprovalStore.ListAsync(cluster, environment, Version, token)));
    }
}
