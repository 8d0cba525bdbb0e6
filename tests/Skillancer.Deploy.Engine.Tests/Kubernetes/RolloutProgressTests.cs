using k8s.Models;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;

namespace Skillancer.Deploy.Engine.Tests.Kubernetes;

/// <summary>kubectl rollout status's rules, case by case.</summary>
public class RolloutProgressTests
{
    [Fact]
    public void An_unobserved_generation_is_waiting_for_the_spec_update() =>
        Assert.Equal(new RolloutProgress(false, false, "Waiting for deployment spec update to be observed..."), RolloutProgress.Of(Deployment(generation: 3, observed: 2)));

    [Fact]
    public void Too_few_updated_replicas_is_waiting_for_the_new_ones() =>
        Assert.Equal("Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...", RolloutProgress.Of(Deployment(updated: 1)).Message);

    [Fact]
    public void Old_replicas_left_are_pending_termination() =>
        Assert.Equal("Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...", RolloutProgress.Of(Deployment(replicas: 4)).Message);

    [Fact]
    public void Unavailable_updated_replicas_are_waited_for() =>
        Assert.Equal("Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...", RolloutProgress.Of(Deployment(available: 2)).Message);

    [Fact]
    public void Everything_updated_and_available_is_done() =>
        Assert.Equal(new RolloutProgress(true, false, "deployment \"web\" successfully rolled out"), RolloutProgress.Of(Deployment()));

    [Fact]
    public void ProgressDeadlineExceeded_is_a_failure_even_with_replicas_available()
    {
        var progress = RolloutProgress.Of(Deployment(updated: 1, reason: "ProgressDeadlineExceeded"));

        Assert.True(progress.Failed);
        Assert.Equal("deployment \"web\" exceeded its progress deadline", progress.Message);
    }

    private static V1Deployment Deployment(long generation = 2, long observed = 2, int updated = 3, int replicas = 3, int available = 3, string reason = "ReplicaSetUpdated") => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = 3 },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = observed,
            UpdatedReplicas = updated,
            Replicas = replicas,
            AvailableReplicas = available,
            Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = reason == "ProgressDeadlineExceeded" ? "False" : "True", Reason = reason }],
        },
    };
}
