using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Canary;

/// <summary>
/// The runbook's canary deployment, through Istio: a <c>&lt;deployment&gt;-canary</c> Deployment runs
/// the new version beside the stable one, labelled for the canary subset, and the VirtualService moves
/// a share of traffic to it; promoting rolls the stable deployment to the canary's image; stopping
/// takes the traffic back first.
/// </summary>
public static class CanaryManager
{
    /// <summary>The suffix of the canary deployment's name.</summary>
    public const string Suffix = "-canary";

    /// <summary>Starts (or moves) the canary at <paramref name="tag"/>, waits for it, then gives it <paramref name="weight"/>% of traffic. Null under -WhatIf.</summary>
    public static async Task<CanaryStatus?> StartAsync(
        ClusterConnection cluster, EnvironmentConfig environment, ServiceConfig service, string tag, int weight, int? replicas, TimeSpan timeout, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        admission.Require(environment);
        CanaryRoutes.CheckWeight(weight);
        if (!ImageTags.IsValidTag(tag))
        {
            ImageTags.FromImageTag(tag);
        }

        if (replicas is < 1)
        {
            throw new DeployException(KubernetesErrors.InvalidReplicas, DeployErrorCategory.InvalidArgument,
                $"-Replicas {replicas} cannot run a canary: it needs at least one pod. Pass -Replicas 1 or more, or leave it out to use canary.replicas.", replicas);
        }

        TimeoutCheck.Require(timeout, RolloutRequest.ShortestTimeout, "Timeout", "the canary to become ready");
        var canary = Settings(service);
        var ns = environment.Kubernetes.Namespace;
        var stable = await Deployments.ReadAsync(cluster, ns, service.Deployment, cancellationToken).ConfigureAwait(false);
        CanaryRoutes.WithWeights(await VirtualServices.ReadAsync(cluster, ns, canary.VirtualService, cancellationToken).ConfigureAwait(false), canary, weight);
        var image = ImageTags.Compose(environment.Registry, service.Image, tag);
        var labels = await CanaryDeployment.SubsetLabelsAsync(cluster, ns, canary, host, cancellationToken).ConfigureAwait(false);
        var desired = CanaryDeployment.Build(stable, service, image, labels, replicas ?? canary.Replicas, ChangeCause.For(tag, "canary"));
        var target = $"deployment/{desired.Metadata.Name} in namespace {ns} ({environment.Name})";
        if (host.ShouldProcess(target, $"Run canary {image} ({desired.Spec.Replicas} replicas)") != Approval.Approved)
        {
            return null;
        }

        await CanaryDeployment.ApplyAsync(cluster, desired, cancellationToken).ConfigureAwait(false);
        var started = DateTimeOffset.UtcNow;
        var rollout = RolloutResult.Started(environment, service, desired.Metadata.Name, Containers.Find(stable, service).Image, image);
        var waited = await RolloutTracker.TrackAsync(cluster, rollout, started, timeout, host, cancellationToken).ConfigureAwait(false);
        if (waited.Failure() is { } failure)
        {
            throw failure;
        }

        return await SetWeightAsync(cluster, environment, service, weight, admission, host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives the canary <paramref name="weight"/>% of traffic. Null under -WhatIf.</summary>
    public static async Task<CanaryStatus?> SetWeightAsync(
        ClusterConnection cluster, EnvironmentConfig environment, ServiceConfig service, int weight, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        admission.Require(environment);
        CanaryRoutes.CheckWeight(weight);
        var canary = Settings(service);
        var ns = environment.Kubernetes.Namespace;
        var running = await ReadCanaryAsync(cluster, ns, service, cancellationToken).ConfigureAwait(false);
        if (weight > 0 && (running is null || running.Spec.Replicas == 0))
        {
            throw NotRunning(environment, service, $"give it {weight}% of traffic");
        }

        CanaryRoutes.WithWeights(await VirtualServices.ReadAsync(cluster, ns, canary.VirtualService, cancellationToken).ConfigureAwait(false), canary, weight);
        if (host.ShouldProcess($"VirtualService/{canary.VirtualService} in namespace {ns} ({environment.Name})", $"Route {100 - weight}% to {canary.StableSubset} and {weight}% to {canary.CanarySubset}") != Approval.Approved)
        {
            return null;
        }

        await VirtualServices.SetWeightAsync(cluster, ns, canary, weight, host, cancellationToken).ConfigureAwait(false);
        return await GetAsync(cluster, environment, service, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Promotes the canary: the stable deployment takes its image (and is waited for), traffic returns to stable, the canary is deleted.</summary>
    public static async Task<CanaryStatus?> CompleteAsync(
        ClusterConnection cluster, EnvironmentConfig environment, ServiceConfig service, TimeSpan timeout, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        admission.Require(environment);
        TimeoutCheck.Require(timeout, RolloutRequest.ShortestTimeout, "Timeout", "the promoted canary's rollout");
        var canary = Settings(service);
        var ns = environment.Kubernetes.Namespace;
        var running = await ReadCanaryAsync(cluster, ns, service, cancellationToken).ConfigureAwait(false) ?? throw NotRunning(environment, service, "promote it");
        var image = Containers.Find(running, service).Image;
        var stable = await Deployments.ReadAsync(cluster, ns, service.Deployment, cancellationToken).ConfigureAwait(false);
        var target = $"deployment/{service.Deployment} in namespace {ns} ({environment.Name})";
        if (host.ShouldProcess(target, $"Promote canary {image}: roll out, route 100% to {canary.StableSubset}, delete {running.Metadata.Name}") != Approval.Approved)
        {
            return null;
        }

        if (Containers.Find(stable, service).Image != image)
        {
            await RolloutStarter.SetImageAsync(cluster, ns, service, image, ChangeCause.For(ImageTags.Tag(image), "promoted canary"), cancellationToken).ConfigureAwait(false);
            var rollout = RolloutResult.Started(environment, service, service.Deployment, Containers.Find(stable, service).Image, image);
            var waited = await RolloutTracker.TrackAsync(cluster, rollout, DateTimeOffset.UtcNow, timeout, host, cancellationToken).ConfigureAwait(false);
            if (waited.Failure() is { } failure)
            {
                throw failure;
            }
        }

        await VirtualServices.SetWeightAsync(cluster, ns, canary, 0, host, cancellationToken).ConfigureAwait(false);
        await DeleteCanaryAsync(cluster, ns, running.Metadata.Name, cancellationToken).ConfigureAwait(false);
        return await GetAsync(cluster, environment, service, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aborts the canary: all traffic back to stable at once, then the canary scaled to zero. Null under -WhatIf.</summary>
    public static async Task<CanaryStatus?> StopAsync(
        ClusterConnection cluster, EnvironmentConfig environment, ServiceConfig service, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        admission.Require(environment, StepKind.Recovery);
        var canary = Settings(service);
        var ns = environment.Kubernetes.Namespace;
        var running = await ReadCanaryAsync(cluster, ns, service, cancellationToken).ConfigureAwait(false);
        var target = $"VirtualService/{canary.VirtualService} in namespace {ns} ({environment.Name})";
        if (host.ShouldProcess(target, $"Stop the canary: route 100% to {canary.StableSubset}, then scale {service.Deployment}{Suffix} to 0") != Approval.Approved)
        {
            return null;
        }

        await VirtualServices.SetWeightAsync(cluster, ns, canary, 0, host, cancellationToken).ConfigureAwait(false);
        if (running is not null && running.Spec.Replicas != 0)
        {
            await KubeFailures.CallAsync(cluster, ClusterPermissions.PatchDeploymentScale, $"scale deployment {ns}/{running.Metadata.Name}",
                () => cluster.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(
                    new V1Patch("""{"spec":{"replicas":0}}""", V1Patch.PatchType.MergePatch), running.Metadata.Name, ns, fieldManager: RolloutStarter.FieldManager,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return await GetAsync(cluster, environment, service, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The service's canary as it stands.</summary>
    public static async Task<CanaryStatus> GetAsync(ClusterConnection cluster, EnvironmentConfig environment, ServiceConfig service, CancellationToken cancellationToken)
    {
        var canary = Settings(service);
        var ns = environment.Kubernetes.Namespace;
        var stable = await Deployments.ReadAsync(cluster, ns, service.Deployment, cancellationToken).ConfigureAwait(false);
        var running = await ReadCanaryAsync(cluster, ns, service, cancellationToken).ConfigureAwait(false);
        var weight = CanaryRoutes.CanaryWeight(await VirtualServices.ReadAsync(cluster, ns, canary.VirtualService, cancellationToken).ConfigureAwait(false), canary);
        var replicas = running?.Spec.Replicas ?? 0;
        return new CanaryStatus
        {
            Environment = environment.Name,
            Service = service.Name,
            VirtualService = canary.VirtualService,
            StableImage = Containers.Find(stable, service).Image,
            CanaryImage = running is null ? null : Containers.Find(running, service).Image,
            StableWeight = 100 - weight,
            CanaryWeight = weight,
            CanaryReplicas = replicas,
            CanaryReady = running is not null && replicas > 0 && RolloutProgress.Of(running).Done,
        };
    }

    /// <summary>The service's canary section, or CanaryNotConfigured.</summary>
    public static CanarySettings Settings(ServiceConfig service) =>
        service.Canary ?? throw new DeployException(KubernetesErrors.CanaryNotConfigured, DeployErrorCategory.InvalidOperation,
            $"Service '{service.Name}' in environment '{service.Environment}' has no canary section in skdeploy.yml. " +
            "Add services[].canary with virtualService, stableSubset and canarySubset (the Istio routing that splits its traffic).", service.Name);

    private static DeployException NotRunning(EnvironmentConfig environment, ServiceConfig service, string action) =>
        new(KubernetesErrors.CanaryNotRunning, DeployErrorCategory.InvalidOperation,
            $"There is no running canary of '{service.Name}' in {environment.Name} to {action}. Start one with Start-SkCanary -Environment {environment.Name} -Service {service.Name} -Version <version>.",
            service.Name);

    private static Task<V1Deployment?> ReadCanaryAsync(ClusterConnection cluster, string ns, ServiceConfig service, CancellationToken cancellationToken) =>
        KubeFailures.FindAsync(cluster, ClusterPermissions.GetDeployment, $"read deployment {ns}/{service.Deployment}{Suffix}", () =>
            cluster.Client.AppsV1.ReadNamespacedDeploymentAsync(service.Deployment + Suffix, ns, cancellationToken: cancellationToken));

    private static async Task DeleteCanaryAsync(ClusterConnection cluster, string ns, string name, CancellationToken cancellationToken) =>
        await KubeFailures.CallAsync(cluster, ClusterPermissions.DeleteDeployment, $"delete deployment {ns}/{name}",
            () => cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
}
