using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Lists a service's revisions, as `kubectl rollout history` does: revision, image, change-cause and when.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SkDeploymentHistory")]
[OutputType(typeof(RevisionEntry))]
public sealed class GetSkDeploymentHistoryCommand : KubernetesCmdlet
{
    /// <summary>
    /// <para type="description">The services whose history to list. Binds from the pipeline by property name.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Service { get; set; } = [];

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        foreach (var service in SelectServices(Service))
        {
            WriteObjects(OnCluster(environment, (cluster, _, token) => RevisionHistory.GetAsync(cluster, environment, service, token)));
        }
    }
}
