using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Discovery;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>
/// New-SkConfiguration -FromCluster: each environment's namespace (<see cref="NamespaceChoice"/>), one
/// service per deployment in it, with its tier guessed (<see cref="TierGuess"/>), its container, and its
/// registry and image split from the image it runs; a canary where a VirtualService of its name splits traffic.
/// </summary>
internal static class ClusterProposal
{
    public static async Task<(IReadOnlyList<StarterEnvironment> Environments, IReadOnlyList<string> Header)> ReadAsync(
        ClusterConnection cluster, IReadOnlyList<string> environments, StarterRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        var visible = await ClusterSurvey.NamespacesAsync(cluster, host, cancellationToken).ConfigureAwait(false);
        var proposed = new List<StarterEnvironment>();
        var header = new List<string> { $"Proposed from the deployments that context '{cluster.Context}' ({cluster.Server}) shows this user:" };
        foreach (var name in environments)
        {
            var (ns, note) = NamespaceChoice.For(name, request.Namespaces.GetValueOrDefault(name), visible, cluster.ContextNamespace, cluster.Context);
            var deployments = await ClusterSurvey.DeploymentsAsync(cluster, ns, cancellationToken).ConfigureAwait(false);
            if (deployments.Count == 0)
            {
                throw new DeployException(StarterErrors.NoDeploymentsFound, DeployErrorCategory.ObjectNotFound,
                    $"Namespace '{ns}' (for {name}) of context '{cluster.Context}' has no deployments this user can see. " +
                    $"Pass -Namespace @{{ {name} = '<namespace>' }} with the namespace that runs the services, or leave out -FromCluster to write the runbook's services.",
                    ns);
            }

            host.Verbose($"{name}: namespace {ns}, deployments {string.Join(", ", deployments.Select(d => d.Name))}");
            var services = new List<StarterService>();
            foreach (var deployment in deployments)
            {
                services.Add(await ServiceAsync(cluster, name, deployment, host, cancellationToken).ConfigureAwait(false));
            }

            var images = deployments.Select(d => ImageReference.Parse(MainContainer(d).Container.Image)).ToList();
            var registry = ImageReference.CommonRegistry(images);
            var mixed = images.Select(i => i.Repository).Distinct(StringComparer.Ordinal).Count() > 1;
            var production = RunbookEnvironment.IsProduction(name);
            proposed.Add(new StarterEnvironment
            {
                Name = name,
                Production = production,
                Url = RunbookEnvironment.Url(name, null).TrimEnd('/'),
                UrlNote = "check: the environment's public URL (smoke checks are relative to it)",
                Namespace = ns,
                NamespaceNote = note,
                Context = cluster.Context,
                Kubeconfig = request.Kubeconfig is null ? null : Path.GetFullPath(request.Kubeconfig),
                Registry = registry,
                RegistryNote = mixed ? "check: the services' images come from different registries" : "from the running images",
                Services = services.Select((s, i) => s with
                {
                    Image = images[i].Below(registry),
                    ImageNote = mixed && images[i].Repository != registry ? $"check: from {images[i].Repository}" : null,
                }).ToList(),
                Variables = StarterVariables.For(name, production),
            });
            header.Add($"  {name}: namespace {ns}, {deployments.Count} deployments");
        }

        if (visible is not null)
        {
            header.Add($"Namespaces it can list: {visible.Count} ({string.Join(", ", visible.Take(8))}{(visible.Count > 8 ? ", ..." : "")}).");
        }

        return (proposed, header);
    }

    private static async Task<StarterService> ServiceAsync(ClusterConnection cluster, string environment, FoundDeployment deployment, OperationHost host, CancellationToken cancellationToken)
    {
        var (tier, tierNote) = TierGuess.For(deployment.Name, deployment.Labels);
        var (container, others) = MainContainer(deployment);
        var runbook = RunbookEnvironment.Service(environment, deployment.Name);
        var split = await ClusterSurvey.TrafficSplitAsync(cluster, deployment.Namespace, deployment.Name, host, cancellationToken).ConfigureAwait(false);
        return new StarterService
        {
            Name = deployment.Name,
            DisplayName = runbook?.DisplayName,
            Tier = tier,
            TierNote = tierNote,
            Deployment = deployment.Name,
            Container = container.Name,
            ContainerNote = others.Count > 0 ? $"check: it also runs {string.Join(", ", others)}" : null,
            Health = runbook?.Health,
            HealthNote = runbook is null ? null : "check: the runbook's endpoint",
            ProbePath = container.ReadinessPath,
            Canary = split is { } routes ? new StarterCanary(deployment.Name, routes.Stable, routes.Canary) : null,
        };
    }

    // The container named like the deployment, else the first; and the names of the others.
    private static (FoundContainer Container, IReadOnlyList<string> Others) MainContainer(FoundDeployment deployment)
    {
        var main = deployment.Containers.FirstOrDefault(c => c.Name == deployment.Name)
            ?? (deployment.Containers.Count > 0 ? deployment.Containers[0] : new FoundContainer(deployment.Name, deployment.Name, null));
        return (main, deployment.Containers.Where(c => c != main).Select(c => c.Name).ToList());
    }
}
