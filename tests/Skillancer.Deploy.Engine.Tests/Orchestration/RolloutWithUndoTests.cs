using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Orchestration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Orchestration;

/// <summary>Start-SkRollout -UndoOnFailure's engine against the sandbox's Kubernetes API, each test in a namespace of its own.</summary>
public class RolloutWithUndoTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_failed_later_tier_puts_every_changed_service_back_on_its_FromImage_in_reverse_tier_order()
    {
        var seeded = await sandbox.NewEnvironmentAsync(progressDeadlineSeconds: 1);
        // The sandbox reads the tag of "name@pin:tag" as the digest form's ("latest"), so every tier but the
        // frontend gets a good image and only web runs the -broken one: the last tier fails after the others changed.
        var environment = seeded with { Services = [.. seeded.Services.Select(s => s.Tier == ServiceTier.Frontend ? s : s with { Image = s.Image + "@pin" })] };
        using var cluster = sandbox.Connect(environment);
        var request = new RolloutRequest(environment, environment.Services, "v1.2.4-broken", Wait: true, Timeout) { UndoOnFailure = true };

        var outcome = await RolloutWithUndo.StartAsync(cluster, request, Admissions.For(request.Environment), OperationHost.Silent, CancellationToken.None);
        var states = await Deployments.GetAsync(cluster, environment, environment.Services, CancellationToken.None);
        var patches = (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Where(r => r.Method == "PATCH").Select(r => r.Path.Split('/')[^1]).ToList();

        Assert.Equal(RolloutStatus.Failed, outcome.Rollouts.Single(r => r.Service == "web").Status);
        Assert.All(outcome.Rollouts.Where(r => r.Service != "web"), r => Assert.Equal(RolloutStatus.Complete, r.Status));
        Assert.Equal(outcome.Rollouts.Select(r => (r.Service, r.FromImage)).OrderBy(s => s.Service), outcome.Rollbacks.Select(r => (r.Service, r.ToImage)).OrderBy(s => s.Service));
        Assert.All(outcome.Rollbacks, r => Assert.Equal(RollbackStatus.RolledBack, r.Status));
        Assert.All(states, s => Assert.Equal("v1.2.2", s.Version));
        // Five rollout patches in tier order, then the rollbacks in reverse: web, the gateway, the backend services.
        Assert.Equal(["web", "api-gateway"], patches.Skip(5).Take(2));
        Assert.Equal(["auth-svc", "market-svc", "skillpod-svc"], patches.Skip(7).Order());
        Assert.Equal([KubernetesErrors.RolloutFailed], outcome.Failures.Select(f => f.ErrorId));
    }

    [Fact]
    public async Task A_rollout_that_succeeds_is_not_undone()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);

        var outcome = await RolloutWithUndo.StartAsync(cluster, new RolloutRequest(environment, [environment.Service("web")], "v1.2.3", true, Timeout) { UndoOnFailure = true }, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);

        Assert.Equal(RolloutStatus.Complete, outcome.Rollouts.Single().Status);
        Assert.Empty(outcome.Rollbacks);
        Assert.Empty(outcome.Failures);
    }

    [Theory]
    [InlineData(0, true, false, "InvalidTimeout")]
    [InlineData(-5, true, false, "InvalidTimeout")]
    [InlineData(0.5, true, false, "InvalidTimeout")]
    [InlineData(60, false, true, "InvalidParameterCombination")]
    public async Task A_bad_request_is_refused_before_any_request_reaches_the_cluster(double seconds, bool wait, bool undo, string errorId)
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var before = (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count;
        var request = new RolloutRequest(environment, environment.Services, "v1.2.3", wait, TimeSpan.FromSeconds(seconds)) { UndoOnFailure = undo };

        var failure = await Assert.ThrowsAsync<DeployException>(() => RolloutWithUndo.StartAsync(cluster, request, Admissions.For(request.Environment), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(errorId, failure.ErrorId);
        Assert.Equal(before, (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count);
    }
}
