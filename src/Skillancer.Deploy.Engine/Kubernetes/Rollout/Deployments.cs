using System.Net;
using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>Reads services' deployments: `kubectl get deployment`, with the errors a user can act on.</summary>
public static class Deployments
{
    /// <summary>The deployment <paramref name="name"/> in the environment's namespace; DeploymentNotFound when it does not exist.</summary>
    public static async Task<V1Deployment> ReadAsync(ClusterConnection cluster, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await KubeFailures.CallAsync(cluster, ClusterPermissions.GetDeployment, $"read deployment {ns}/{name}",
                () => cluster.Client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (DeployException e) when (KubeFailures.StatusOf(e.InnerException!) == HttpStatusCode.NotFound)
        {
            throw NotFound(cluster, ns, name);
        }
    }

    /// <summary>The state of each service's deployment, read concurrently, in the services' order.</summary>
    public static async Task<IReadOnlyList<DeploymentState>> GetAsync(
        ClusterConnection cluster, EnvironmentConfig environment, IReadOnlyList<ServiceConfig> services, CancellationToken cancellationToken)
    {
        var reads = services.Select(async s => DeploymentState.From(environment, s, await ReadAsync(cluster, environment.Kubernetes.Namespace, s.Deployment, cancellationToken).ConfigureAwait(false)));
        return await Task.WhenAll(reads).ConfigureAwait(false);
    }

    /// <summary>The failure for a deployment that is not there.</summary>
    public static DeployException NotFound(ClusterConnection cluster, string ns, string name) =>
        new(KubernetesErrors.DeploymentNotFound, DeployErrorCategory.ObjectNotFound,
            $"There is no deployment '{name}' in namespace '{ns}' of {cluster.Server}{(cluster.Context is null ? "" : $" (context {cluster.Context})")}. " +
            "Check services[].deployment and kubernetes.namespace in skdeploy.yml, or the context.", name);
}
