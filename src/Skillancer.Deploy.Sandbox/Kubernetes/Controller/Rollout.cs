using System.Globalization;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>
/// One pass of the deployment controller over one deployment: find or create the ReplicaSet for the
/// current template (reusing an old one on rollback), scale new and old within the strategy, clean up
/// history, and write the deployment's revision, status and conditions.
/// </summary>
internal sealed class Rollout(DeploymentController controller, JsonObject deployment, List<JsonObject> replicaSets, DateTimeOffset now, TimeSpan step)
{
    private readonly string _name = StoredObject.Name(deployment)!;
    private readonly string _namespace = StoredObject.Namespace(deployment)!;
    private readonly JsonObject _spec = deployment["spec"]!.AsObject();
    private JsonObject? _new;
    private string? _created;
    private bool _progressed;

    /// <summary>The deployment's ReplicaSets after this pass.</summary>
    public List<JsonObject> ReplicaSets { get; } = replicaSets.OrderBy(DeploymentController.Revision).ToList();

    /// <summary>When the deployment next needs a look: its progress deadline, if it is still rolling out.</summary>
    public DateTimeOffset? Due { get; private set; }

    private int Desired => (int)StoredObject.Long(_spec["replicas"], 1);

    private bool Paused => _spec["paused"]?.GetValue<bool>() == true;

    public void Reconcile()
    {
        var template = _spec["template"];
        _new = ReplicaSets.FirstOrDefault(rs => PodTemplate.Equal(rs["spec"]?["template"], template));
        var maxRevision = ReplicaSets.Select(DeploymentController.Revision).DefaultIfEmpty(0).Max();
        if (!Paused)
        {
            if (_new is null)
            {
                _new = CreateReplicaSet(maxRevision + 1);
            }
            else if (DeploymentController.Revision(_new) < maxRevision)
            {
                // A rollback (or a template changed back): the old ReplicaSet becomes the newest revision.
                var old = StoredObject.Annotation(_new, DeploymentController.RevisionAnnotation);
                var history = StoredObject.Annotation(_new, DeploymentController.RevisionHistoryAnnotation);
                StoredObject.SetAnnotation(_new, DeploymentController.RevisionHistoryAnnotation, string.IsNullOrEmpty(history) ? old : $"{history},{old}");
                StoredObject.SetAnnotation(_new, DeploymentController.RevisionAnnotation, (maxRevision + 1).ToString(CultureInfo.InvariantCulture));
                _progressed = true;
            }
        }

        if (_new is not null)
        {
            CopyAnnotations(_new);
            controller.Write(ResourceType.ReplicaSets, _new);
            StoredObject.SetAnnotation(deployment, DeploymentController.RevisionAnnotation, StoredObject.Annotation(_new, DeploymentController.RevisionAnnotation));
            if (!Paused)
            {
                Scale();
            }
        }

        if (Complete())
        {
            CleanUpHistory();
        }

        WriteStatus();
    }

    private JsonObject CreateReplicaSet(long revision)
    {
        var hash = PodTemplate.Hash(_spec["template"]);
        var template = _spec["template"]!.DeepClone().AsObject();
        var labels = template["metadata"]?["labels"] as JsonObject ?? new JsonObject();
        labels[PodTemplate.HashLabel] = hash;
        var selector = _spec["selector"]!.DeepClone().AsObject();
        ((JsonObject)(selector["matchLabels"] ??= new JsonObject()))[PodTemplate.HashLabel] = hash;
        var rs = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{_name}-{hash}",
                ["namespace"] = _namespace,
                ["labels"] = labels.DeepClone(),
                ["annotations"] = new JsonObject { [DeploymentController.RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture) },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["name"] = _name,
                    ["uid"] = DeploymentController.Uid(deployment),
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["minReadySeconds"] = _spec["minReadySeconds"]?.DeepClone() ?? 0,
                ["selector"] = selector,
                ["template"] = template,
            },
        };
        CopyAnnotations(rs);
        var created = controller.Create(ResourceType.ReplicaSets, rs);
        ReplicaSets.Add(created);
        _created = StoredObject.Name(created);
        _progressed = true;
        return created;
    }

    private void CopyAnnotations(JsonObject rs)
    {
        foreach (var (key, value) in StoredObject.Metadata(deployment)["annotations"] as JsonObject ?? [])
        {
            if (DeploymentController.IsCopiedAnnotation(key))
            {
                StoredObject.SetAnnotation(rs, key, value?.ToString());
            }
        }

        var strategy = RolloutStrategy.Of(deployment, Desired);
        StoredObject.SetAnnotation(rs, "deployment.kubernetes.io/desired-replicas", Desired.ToString(CultureInfo.InvariantCulture));
        StoredObject.SetAnnotation(rs, "deployment.kubernetes.io/max-replicas", (Desired + strategy.MaxSurge).ToString(CultureInfo.InvariantCulture));
    }

    private void Scale()
    {
        var strategy = RolloutStrategy.Of(deployment, Desired);
        var old = ReplicaSets.Where(rs => rs != _new).ToList();
        if (strategy.Recreate)
        {
            if (old.Any(rs => Spec(rs) > 0 || controller.Pods(rs).Count > 0))
            {
                old.ForEach(rs => SetReplicas(rs, 0));
            }
            else
            {
                SetReplicas(_new!, Desired);
            }

            return;
        }

        // Scale the new ReplicaSet up, within maxSurge.
        var total = ReplicaSets.Sum(Spec);
        if (Spec(_new!) > Desired)
        {
            SetReplicas(_new!, Desired);
        }
        else if (Spec(_new!) < Desired && total < Desired + strategy.MaxSurge)
        {
            SetReplicas(_new!, Spec(_new!) + Math.Min(Desired + strategy.MaxSurge - total, Desired - Spec(_new!)));
        }

        // Scale the old ones down, within maxUnavailable: first their unavailable pods, then available ones.
        var minAvailable = Desired - strategy.MaxUnavailable;
        var newUnavailable = Spec(_new!) - Available(_new!);
        var maxScaledDown = ReplicaSets.Sum(Spec) - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return;
        }

        foreach (var rs in old.Where(rs => Spec(rs) > 0))
        {
            var unhealthy = Math.Min(Spec(rs) - Available(rs), maxScaledDown);
            if (unhealthy > 0)
            {
                SetReplicas(rs, Spec(rs) - unhealthy);
                maxScaledDown -= unhealthy;
            }
        }

        var surplus = ReplicaSets.Sum(Available) - minAvailable;
        foreach (var rs in old.Where(rs => Spec(rs) > 0))
        {
            var down = Math.Min(Spec(rs), surplus);
            if (down > 0)
            {
                SetReplicas(rs, Spec(rs) - down);
                surplus -= down;
            }
        }
    }

    private void SetReplicas(JsonObject rs, int replicas)
    {
        if (Spec(rs) == replicas)
        {
            return;
        }

        var from = Spec(rs);
        rs["spec"]!["replicas"] = replicas;
        controller.Pods(rs).ScaleTo(replicas, now, step);
        controller.Write(ResourceType.ReplicaSets, rs);
        _progressed = true;

        // The real controller creates a new ReplicaSet at its first size, and says so without a "from".
        var name = StoredObject.Name(rs);
        var message = name == _created && from == 0
            ? $"Scaled up replica set {name} to {replicas}"
            : $"Scaled {(replicas > from ? "up" : "down")} replica set {name} to {replicas} from {from}";
        controller.Events.Record(deployment, EventRecorder.Normal, "ScalingReplicaSet", message, EventSource.DeploymentController, now);
    }

    private void CleanUpHistory()
    {
        var limit = (int)StoredObject.Long(_spec["revisionHistoryLimit"], 10);
        var spent = ReplicaSets.Where(rs => rs != _new && Spec(rs) == 0 && controller.Pods(rs).Count == 0).OrderBy(DeploymentController.Revision).ToList();
        foreach (var rs in spent.Take(Math.Max(0, spent.Count - limit)))
        {
            controller.Delete(rs);
            ReplicaSets.Remove(rs);
        }
    }

    private bool Complete() =>
        _new is not null && Updated == Desired && Replicas == Desired && ReplicaSets.Sum(Available) >= Desired;

    private void WriteStatus()
    {
        var strategy = RolloutStrategy.Of(deployment, Desired);
        var available = ReplicaSets.Sum(Available);
        var status = new JsonObject
        {
            ["observedGeneration"] = StoredObject.Generation(deployment),
            ["replicas"] = Replicas,
            ["updatedReplicas"] = Updated,
            ["readyReplicas"] = ReplicaSets.Sum(rs => controller.Pods(rs).Ready(now)),
            ["availableReplicas"] = available,
            ["unavailableReplicas"] = Math.Max(0, Desired - available),
        };
        foreach (var zero in status.Where(p => p.Key != "observedGeneration" && StoredObject.Long(p.Value) == 0).Select(p => p.Key).ToList())
        {
            status.Remove(zero);
        }

        var progressing = DeploymentConditions.Find(deployment, DeploymentConditions.Progressing);
        var state = ProgressState(progressing);
        if (_progressed || progressing is null)
        {
            controller.MarkProgress(deployment, now);
        }

        if (state.Reason == DeploymentConditions.NewReplicaSetAvailable && progressing?["reason"]?.ToString() != DeploymentConditions.NewReplicaSetAvailable)
        {
            controller.MarkCompleted(deployment, now);
        }
        status["conditions"] = new JsonArray(
            DeploymentConditions.Merge(DeploymentConditions.Find(deployment, DeploymentConditions.Available), DeploymentConditions.Available, DeploymentConditions.Availability(available >= Desired - strategy.MaxUnavailable), false, now),
            DeploymentConditions.Merge(progressing, DeploymentConditions.Progressing, state, _progressed, now));
        if (deployment["status"]?["collisionCount"] is { } collisions)
        {
            status["collisionCount"] = collisions.DeepClone();
        }

        deployment["status"] = status;
        controller.Write(ResourceType.Deployments, deployment);
    }

    private DeploymentConditions.State ProgressState(JsonObject? existing)
    {
        var reason = existing?["reason"]?.ToString();
        var name = _new is null ? "" : StoredObject.Name(_new)!;
        if (Paused) return DeploymentConditions.PausedState;
        if (reason == DeploymentConditions.Paused) return DeploymentConditions.Resumed;
        if (Complete()) return DeploymentConditions.Complete(name);
        if (_created is not null) return DeploymentConditions.Created(_created);
        if (_progressed || (_new is not null && Available(_new) > StoredObject.Long(_new["status"]?["availableReplicas"])))
        {
            _progressed = true;
            return DeploymentConditions.Updated(name);
        }

        if (existing is null) return DeploymentConditions.Found(name);
        var deadline = TimeSpan.FromSeconds(StoredObject.Long(_spec["progressDeadlineSeconds"], 600));
        var since = controller.LastProgress(deployment) ?? DeploymentConditions.LastUpdate(existing) ?? now;
        if (existing["status"]?.ToString() == "True" && reason != DeploymentConditions.NewReplicaSetAvailable)
        {
            if (now - since > deadline) return DeploymentConditions.Deadline(name);
            Due = since + deadline + TimeSpan.FromMilliseconds(50);
        }

        return new DeploymentConditions.State(existing["status"]!.ToString(), reason!, existing["message"]!.ToString());
    }

    private int Replicas => ReplicaSets.Sum(rs => controller.Pods(rs).Count);

    private int Updated => _new is null ? 0 : controller.Pods(_new).Count;

    private static int Spec(JsonObject rs) => (int)StoredObject.Long(rs["spec"]?["replicas"], 1);

    private int Available(JsonObject rs) => controller.Pods(rs).Available(now, DeploymentController.MinReady(rs));
}
