using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>
/// What to roll back: the service; the revision (0 for the previous one), or the image to go back to
/// (the newest earlier revision that ran it, to revert exactly one rollout); and whether and how long to wait.
/// </summary>
public sealed record RollbackRequest(EnvironmentConfig Environment, ServiceConfig Service, long ToRevision, bool Wait, TimeSpan Timeout)
{
    /// <summary>Go back to the newest earlier revision that ran this image (ignored when <see cref="ToRevision"/> is set).</summary>
    public string? ToImage { get; init; }

    /// <summary>Checks every part of the request; throws the first problem, before anything is read or changed.</summary>
    public RollbackRequest Validate()
    {
        if (ToRevision < 0)
        {
            throw new DeployException(KubernetesErrors.RevisionNotFound, DeployErrorCategory.InvalidArgument,
                $"-ToRevision {ToRevision} is not a revision: revisions count from 1. Get-SkDeploymentHistory -Service {Service.Name} lists them; leave -ToRevision out for the previous one.", ToRevision);
        }

        TimeoutCheck.Require(Timeout, RolloutRequest.ShortestTimeout, "Timeout", "a rollback");
        return this;
    }
}

/// <summary>
/// `kubectl rollout undo`, with its exact semantics: it refuses a paused deployment and a missing
/// history, picks the previous revision (or the one asked for), skips when the template already
/// matches, and sends kubectl's JSON patch, which replaces the pod template (without the hash label)
/// and the annotations (the deployment's own controller annotations kept, the rest taken from the revision).
/// </summary>
public static class DeploymentRollback
{
    // The annotations that stay with the deployment (kubectl's annotationsToSkip).
    private static readonly HashSet<string> DeploymentOwned = new(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration", Revisions.Annotation, "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
    };

    /// <summary>
    /// What reverts these rollouts: each one that changed an image goes back to exactly the image it
    /// replaced. Rollouts that changed nothing (skipped, not started) need no rollback.
    /// </summary>
    public static IReadOnlyList<RollbackRequest> Reverting(EnvironmentConfig environment, IEnumerable<RolloutResult> rollouts) =>
        rollouts.Where(r => r.FromImage != r.ToImage && r.Status is not (RolloutStatus.NotStarted or RolloutStatus.Skipped))
            .Select(r => new RollbackRequest(environment, environment.Service(r.Service), 0, Wait: true, environment.Kubernetes.RolloutTimeout) { ToImage = r.FromImage })
            .ToList();

    /// <summary>What rolls every service of the environment back to its previous revision.</summary>
    public static IReadOnlyList<RollbackRequest> Everything(EnvironmentConfig environment) =>
        environment.Services.Select(s => new RollbackRequest(environment, s, 0, Wait: true, environment.Kubernetes.RolloutTimeout)).ToList();

    /// <summary>Rolls several services back at once; a result per service that was rolled back (or skipped), in the requests' order.</summary>
    public static async Task<IReadOnlyList<RollbackResult>> UndoAllAsync(
        ClusterConnection cluster, IReadOnlyList<RollbackRequest> requests, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        foreach (var request in requests)
        {
            admission.Require(request.Validate().Environment, StepKind.Recovery);
        }

        var results = await Task.WhenAll(requests.Select(r => UndoAsync(cluster, r, admission, host, cancellationToken))).ConfigureAwait(false);
        return results.OfType<RollbackResult>().ToList();
    }

    /// <summary>
    /// Undo-SkDeployment's entry point: rolls the service back, a recovery action the policy admitted; the result
    /// says what it ran before and after. Null under -WhatIf or when declined.
    /// </summary>
    public static async Task<RollbackResult?> UndoAsync(ClusterConnection cluster, RollbackRequest request, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        admission.Require(request.Validate().Environment, StepKind.Recovery);
        var (environment, service) = (request.Environment, request.Service);
        var ns = environment.Kubernetes.Namespace;
        var deployment = await Deployments.ReadAsync(cluster, ns, service.Deployment, cancellationToken).ConfigureAwait(false);
        if (deployment.Spec.Paused == true)
        {
            throw new DeployException(KubernetesErrors.DeploymentPaused, DeployErrorCategory.InvalidOperation,
                $"You cannot roll back paused deployment {ns}/{service.Deployment}. Resume it first (kubectl rollout resume deployment/{service.Deployment} -n {ns}), then try again.",
                service.Name);
        }

        var history = await RevisionHistory.ReplicaSetsAsync(cluster, deployment, cancellationToken).ConfigureAwait(false);
        var fromImage = Containers.Find(deployment, service).Image;
        var (revision, target) = request.ToRevision == 0 && request.ToImage is { } image
            ? ChooseByImage(history, image, fromImage, Revisions.Of(deployment.Metadata), service)
            : Choose(history, request.ToRevision, deployment.Metadata.Name, service.Name);
        var result = new RollbackResult
        {
            Environment = environment.Name,
            Service = service.Name,
            Namespace = ns,
            Deployment = service.Deployment,
            FromImage = fromImage,
            ToImage = target.Spec.Template.Spec.Containers.FirstOrDefault(c => c.Name == service.Container)?.Image ?? fromImage,
            FromRevision = Revisions.Of(deployment.Metadata),
            ToRevision = revision,
            Revision = Revisions.Of(deployment.Metadata),
            Status = RollbackStatus.Skipped,
            Message = $"skipped rollback (current template already matches revision {revision})",
        };
        if (RevisionHistory.SameTemplate(target.Spec.Template, deployment.Spec.Template))
        {
            return result;
        }

        if (host.ShouldProcess($"deployment/{service.Deployment} in namespace {ns} ({environment.Name})", $"Roll back to revision {revision} ({result.ToImage})") != Approval.Approved)
        {
            return null;
        }

        await KubeFailures.CallAsync(cluster, ClusterPermissions.PatchDeployment, $"roll back deployment {ns}/{service.Deployment}",
            () => cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
                new V1Patch(Patch(deployment, target), V1Patch.PatchType.JsonPatch), service.Deployment, ns, fieldManager: RolloutStarter.FieldManager,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        host.Verbose($"deployment/{service.Deployment}: rolled back to revision {revision} ({result.FromImage} -> {result.ToImage})");
        var started = DateTimeOffset.UtcNow;
        if (!request.Wait)
        {
            return result with { Status = RollbackStatus.Started, Message = $"rollback to revision {revision} started" };
        }

        var rollout = RolloutResult.Started(environment, service, service.Deployment, result.FromImage, result.ToImage);
        var waited = await RolloutTracker.TrackAsync(cluster, rollout, started, request.Timeout, host, cancellationToken).ConfigureAwait(false);
        return result with
        {
            Revision = waited.Revision,
            Duration = waited.Duration,
            Status = waited.Status switch { RolloutStatus.Complete => RollbackStatus.RolledBack, RolloutStatus.TimedOut => RollbackStatus.TimedOut, _ => RollbackStatus.Failed },
            Message = waited.Message,
        };
    }

    // kubectl's choice: the revision asked for, or the second newest.
    private static (long Revision, V1ReplicaSet ReplicaSet) Choose(IReadOnlyList<(long Revision, V1ReplicaSet ReplicaSet)> history, long toRevision, string deployment, string service)
    {
        if (toRevision > 0)
        {
            return history.FirstOrDefault(h => h.Revision == toRevision) is { ReplicaSet: not null } found
                ? found
                : throw new DeployException(KubernetesErrors.RevisionNotFound, DeployErrorCategory.ObjectNotFound,
                    $"Unable to find revision {toRevision} in the history of deployment \"{deployment}\"; it has {(history.Count == 0 ? "none" : string.Join(", ", history.Select(h => h.Revision)))}. " +
                    $"Get-SkDeploymentHistory -Service {service} lists them.", toRevision);
        }

        return history.Count >= 2
            ? history[^2]
            : throw new DeployException(KubernetesErrors.NoRolloutHistory, DeployErrorCategory.InvalidOperation,
                $"No rollout history found for deployment \"{deployment}\": it has no revision before the current one, so there is nothing to roll back to.", service);
    }

    // The newest revision before the current one that ran the image; the current one when it already runs it (a skip).
    private static (long Revision, V1ReplicaSet ReplicaSet) ChooseByImage(
        IReadOnlyList<(long Revision, V1ReplicaSet ReplicaSet)> history, string image, string current, long currentRevision, ServiceConfig service)
    {
        bool Runs((long Revision, V1ReplicaSet ReplicaSet) h) => h.ReplicaSet.Spec.Template.Spec.Containers.Any(c => c.Name == service.Container && c.Image == image);
        var match = image == current
            ? history.LastOrDefault(h => h.Revision == currentRevision)
            : history.LastOrDefault(h => h.Revision != currentRevision && Runs(h));
        return match.ReplicaSet is not null
            ? match
            : throw new DeployException(KubernetesErrors.RevisionNotFound, DeployErrorCategory.ObjectNotFound,
                $"No earlier revision of '{service.Deployment}' ran {image}, so there is nothing to go back to. Get-SkDeploymentHistory -Service {service.Name} lists the revisions; pass -ToRevision.",
                image);
    }

    // [replace /spec/template, replace /metadata/annotations], as kubectl sends it.
    private static string Patch(V1Deployment deployment, V1ReplicaSet target)
    {
        var annotations = new JsonObject();
        foreach (var (key, value) in deployment.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (DeploymentOwned.Contains(key)) annotations[key] = value;
        }

        foreach (var (key, value) in target.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (!DeploymentOwned.Contains(key)) annotations[key] = value;
        }

        return new JsonArray(
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = JsonNode.Parse(KubernetesJson.Serialize(RevisionHistory.WithoutHash(target.Spec.Template))) },
            new JsonObject { ["op"] = "replace", ["path"] = "/metadata/annotations", ["value"] = annotations }).ToJsonString();
    }
}

/// <summary>What Undo-SkDeployment did to one service.</summary>
public sealed record RollbackResult : DeploymentChange
{
    /// <summary>The tag rolled back to.</summary>
    public string ToVersion => ImageTags.Tag(ToImage);

    /// <summary>The revision before the rollback.</summary>
    public required long FromRevision { get; init; }

    /// <summary>The revision rolled back to (its template is reused); <see cref="DeploymentChange.Revision"/> is the
    /// deployment's revision after the rollback, as the controller renumbers the reused one as the newest.</summary>
    public required long ToRevision { get; init; }

    /// <summary>RolledBack, Skipped (already at that template), Started (not waited for), Failed or TimedOut.</summary>
    public required RollbackStatus Status { get; init; }

    private protected override string StatusName => Status.ToString();

    private protected override bool IsUndo => true;

    /// <summary>RolloutFailed or RolloutTimeout for a rollback whose rollout failed or timed out; null for any other.</summary>
    public override DeployException? Failure() => Status switch
    {
        RollbackStatus.Failed or RollbackStatus.TimedOut => new DeployException(
            Status == RollbackStatus.Failed ? KubernetesErrors.RolloutFailed : KubernetesErrors.RolloutTimeout,
            Status == RollbackStatus.Failed ? DeployErrorCategory.InvalidResult : DeployErrorCategory.OperationTimeout,
            $"The rollback of {Service} in {Environment} to revision {ToRevision} ({ToImage}) did not complete: {Message}. " +
            "Look at the deployment's pods and events; Get-SkDeploymentHistory lists the revisions to choose from.",
            Service),
        _ => null,
    };
}

/// <summary>How a rollback ended.</summary>
public enum RollbackStatus
{
    /// <summary>The old revision runs again, every replica available.</summary>
    RolledBack,
    /// <summary>The deployment already ran that template: nothing was changed.</summary>
    Skipped,
    /// <summary>The rollback was sent; nobody waited for it (-NoWait).</summary>
    Started,
    /// <summary>The rollback's rollout exceeded its progress deadline.</summary>
    Failed,
    /// <summary>The wait ran out of time first.</summary>
    TimedOut,
}
