using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Shows what each service's deployment runs: image, version, revision, replicas and rollout status.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SkDeployment")]
[OutputType(typeof(DeploymentState))]
public sealed class GetSkDeploymentCommand : KubernetesCmdlet
{
    /// <summary>
    /// <para type="description">The services to show. Defaults to every service of the environment. Binds from the
    /// pipeline by property name.</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var services = SelectServices(Service);
        WriteObjects(OnCluster(environment, (cluster, _, token) => Deployments.GetAsync(cluster, environment, services, token)));
    }
}
