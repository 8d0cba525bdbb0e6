using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>
/// What to roll out where: the environment, its services, the image tag (from <see cref="ImageTags.Choose"/>),
/// whether and how long to wait for each tier, and whether to undo the whole call when a tier fails.
/// </summary>
public sealed record RolloutRequest(EnvironmentConfig Environment, IReadOnlyList<ServiceConfig> Services, string Tag, bool Wait, TimeSpan Timeout)
{
    /// <summary>The shortest timeout a rollout can use: the deployment controller needs a moment to report progress.</summary>
    public static readonly TimeSpan ShortestTimeout = TimeSpan.FromSeconds(1);

    /// <summary>When a tier fails, put every service this call changed back on its FromImage (needs <see cref="Wait"/>).</summary>
    public bool UndoOnFailure { get; init; }

    /// <summary>
    /// Told each service's current image (by service name) once every deployment is read, before the first is changed:
    /// a deployment run keeps them in its record, so that a run resumed after its process died can still roll back.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>, CancellationToken, Task>? BeforeChange { get; init; }

    /// <summary>Checks every part of the request; throws the first problem, before anything is read or changed.</summary>
    public RolloutRequest Validate()
    {
        if (Services.Count == 0)
        {
            throw new DeployException(KubernetesErrors.NoServices, DeployErrorCategory.InvalidArgument,
                $"Nothing to roll out: no service of environment '{Environment.Name}' was selected. Name services with -Service, or add them to {Environment.ConfigPath}.", Environment.Name);
        }

        if (!ImageTags.IsValidTag(Tag))
        {
            ImageTags.FromImageTag(Tag);
        }

        TimeoutCheck.Require(Timeout, ShortestTimeout, "Timeout", "a rollout");
        if (UndoOnFailure && !Wait)
        {
            throw new DeployException(KubernetesErrors.InvalidParameterCombination, DeployErrorCategory.InvalidArgument,
                "-UndoOnFailure needs the rollout to be waited for, so it cannot be used with -NoWait. Leave out -NoWait, or pipe the results to Wait-SkRollout -UndoOnFailure.", null);
        }

        return this;
    }
}

/// <summary>
/// The runbook's "Deploy Backend Services": sets each service's image in the runbook's order, tier by
/// tier (shared, backend in parallel, gateway, frontend), waiting for a tier before the next. Every
/// deployment is read and checked before anything changes; each one gets a single strategic merge
/// patch that sets the image and records the change-cause together.
/// </summary>
public static class RolloutStarter
{
    /// <summary>The field manager our writes carry.</summary>
    public const string FieldManager = "skillancer-deploy";

    /// <summary>Rolls <paramref name="request"/> out, as the policy admitted; returns one result per service, in rollout order.</summary>
    public static async Task<IReadOnlyList<RolloutResult>> StartAsync(ClusterConnection cluster, RolloutRequest request, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        admission.Require(request.Validate().Environment);
        var environment = request.Environment;
        var ns = environment.Kubernetes.Namespace;
        var plans = await Task.WhenAll(request.Services.Select(async service =>
        {
            var deployment = await Deployments.ReadAsync(cluster, ns, service.Deployment, cancellationToken).ConfigureAwait(false);
            return (Service: service, Deployment: deployment, Container: Containers.Find(deployment, service).Image);
        })).ConfigureAwait(false);
        if (request.BeforeChange is { } beforeChange)
        {
            await beforeChange(plans.ToDictionary(p => p.Service.Name, p => p.Container, StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        }

        var results = new List<RolloutResult>();
        var stopped = false;
        foreach (var tier in plans.GroupBy(p => p.Service.Tier).OrderBy(t => t.Key))
        {
            var started = new List<(RolloutResult Result, DateTimeOffset At)>();
            foreach (var (service, deployment, current) in tier)
            {
                var image = ImageTags.Compose(environment.Registry, service.Image, request.Tag);
                var result = RolloutResult.Started(environment, service, service.Deployment, current, image, Revisions.Of(deployment.Metadata)) with
                {
                    Status = RolloutStatus.NotStarted,
                    Message = "not started: a service of an earlier tier did not roll out",
                };
                if (stopped)
                {
                    results.Add(result);
                    continue;
                }

                if (current == image)
                {
                    host.Verbose($"{service.Name} already runs {image}; skipping it");
                    results.Add(result with { Status = RolloutStatus.Skipped, Message = $"deployment \"{service.Deployment}\" already runs {image}" });
                    continue;
                }

                var approval = host.ShouldProcess($"deployment/{service.Deployment} in namespace {ns} ({environment.Name})", $"Set image {service.Container}={image}");
                if (approval != Approval.Approved)
                {
                    continue;
                }

                var patched = await SetImageAsync(cluster, ns, service, image, ChangeCause.For(request.Tag), cancellationToken).ConfigureAwait(false);
                host.Verbose($"deployment/{service.Deployment}: image {current} -> {image} (generation {patched.Metadata.Generation})");
                started.Add((result with { Status = RolloutStatus.Started, Message = $"rollout of {image} started" }, DateTimeOffset.UtcNow));
            }

            if (!request.Wait)
            {
                results.AddRange(started.Select(s => s.Result));
                continue;
            }

            var finished = await Task.WhenAll(started.Select(s => RolloutTracker.TrackAsync(cluster, s.Result, s.At, request.Timeout, host, cancellationToken))).ConfigureAwait(false);
            results.AddRange(finished);
            stopped |= finished.Any(r => r.Status is RolloutStatus.Failed or RolloutStatus.TimedOut);
        }

        return results;
    }

    /// <summary>One strategic merge patch: the container's image and the change-cause annotation.</summary>
    public static Task<V1Deployment> SetImageAsync(ClusterConnection cluster, string ns, ServiceConfig service, string image, string changeCause, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [ChangeCause.Annotation] = changeCause } },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = service.Container, ["image"] = image }) },
                },
            },
        };
        return KubeFailures.CallAsync(cluster, ClusterPermissions.PatchDeployment, $"set the image of deployment {ns}/{service.Deployment}",
            () => cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), service.Deployment, ns, fieldManager: FieldManager, cancellationToken: cancellationToken));
    }
}
