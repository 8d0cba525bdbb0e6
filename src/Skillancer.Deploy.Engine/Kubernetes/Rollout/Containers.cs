using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>Finds a service's container in a deployment's pod template.</summary>
public static class Containers
{
    /// <summary>The container named by the service's configuration; a clear error when it is not there.</summary>
    public static V1Container Find(V1Deployment deployment, ServiceConfig service) =>
        deployment.Spec.Template.Spec.Containers.FirstOrDefault(c => c.Name == service.Container)
        ?? throw new DeployException(KubernetesErrors.ContainerNotFound, DeployErrorCategory.ObjectNotFound,
            $"Deployment '{deployment.Metadata.Name}' has no container '{service.Container}'; its containers are: " +
            $"{string.Join(", ", deployment.Spec.Template.Spec.Containers.Select(c => c.Name))}. Set services[].container for '{service.Name}' in skdeploy.yml.",
            service.Name);
}
