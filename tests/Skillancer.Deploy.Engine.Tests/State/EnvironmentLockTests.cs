using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Identity;
using Skillancer.Deploy.Engine.State.Lock;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.State;

/// <summary>The environment's lock, a Lease in the sandbox's Kubernetes API; each test in a namespace of its own.</summary>
public class EnvironmentLockTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly DeployerIdentity Alice = new() { UserName = "alice@skillancer.test", Verified = true };
    private static readonly DeployerIdentity Bob = new() { UserName = "bob@skillancer.test", Verified = true };

    [Fact]
    public async Task A_lock_is_a_Lease_that_names_its_holder_and_is_freed_when_released()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);

        await using (var held = await EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Alice, "Start-SkRollout") { Version = "v1.2.3" }, OperationHost.Silent, CancellationToken.None))
        {
            var lease = await ReadLeaseAsync(environment);
            Assert.Equal("skdeploy-staging", lease.Metadata.Name);
            Assert.Equal(held.Holder.Holder, lease.Spec.HolderIdentity);
            Assert.StartsWith("alice@skillancer.test/", lease.Spec.HolderIdentity, StringComparison.Ordinal);
            Assert.Equal(60, lease.Spec.LeaseDurationSeconds);
            Assert.Equal("skillancer-deploy", lease.Metadata.Labels["app.kubernetes.io/managed-by"]);
            Assert.Equal(("Start-SkRollout", "v1.2.3"), (held.Holder.Action, held.Holder.Version));
            Assert.Null(held.TookOverFrom);
        }

        Assert.Null(LockHolder.Of(await ReadLeaseAsync(environment)));
        await using var again = await EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Bob, "Undo-SkDeployment"), OperationHost.Silent, CancellationToken.None);
        Assert.Equal("bob@skillancer.test", again.Holder.User);
    }

    [Fact]
    public async Task A_second_action_is_refused_at_once_naming_the_holder_what_it_does_and_since_when()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        await using var held = await EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Alice, "Start-SkRollout v1.2.3"), OperationHost.Silent, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<DeployException>(() => EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Bob, "Start-SkRollout v1.2.4"), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(StateErrors.DeploymentLocked, refused.ErrorId);
        Assert.Equal(DeployErrorCategory.ResourceBusy, refused.Category);
        Assert.Contains("alice@skillancer.test (Start-SkRollout v1.2.3, since ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("-LockTimeout", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Unlock-SkEnvironment -Environment staging -Force", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_eight_acquirers_racing_exactly_one_wins()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var connections = Enumerable.Range(0, 8).Select(_ => sandbox.Connect(environment)).ToList();
        try
        {
            var attempts = connections.Select((cluster, i) => Task.Run(async () =>
            {
                try
                {
                    return (Lock: await EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Alice with { UserName = $"racer{i}@skillancer.test" }, "race"), OperationHost.Silent, CancellationToken.None), Error: (DeployException?)null);
                }
                catch (DeployException e)
                {
                    return (Lock: (EnvironmentLock?)null, Error: e);
                }
            })).ToList();
            var outcomes = await Task.WhenAll(attempts);
            var winner = Assert.Single(outcomes.Select(o => o.Lock).OfType<EnvironmentLock>());

            Assert.Equal(7, outcomes.Count(o => o.Error?.ErrorId == StateErrors.DeploymentLocked));
            Assert.Equal(winner.Holder.Holder, (await ReadLeaseAsync(environment)).Spec.HolderIdentity);
            await winner.DisposeAsync();
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task The_expired_lease_of_a_holder_that_died_is_taken_over_with_a_warning_naming_it()
    {
        var environment = Short(await sandbox.NewEnvironmentAsync());
        using var cluster = sandbox.Connect(environment);
        await sandbox.LeaveDeadHolderAsync(environment);
        var warnings = new List<string>();

        await using var taken = await EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Alice, "Undo-SkDeployment"), new OperationHost(_ => { }, warnings.Add, _ => { }), CancellationToken.None);

        Assert.Equal("ghost@skillancer.test/runner-1/4242/dead", taken.TookOverFrom!.Holder);
        Assert.Equal("Start-SkRollout v1.2.3", taken.TookOverFrom.Action);
        Assert.Contains(warnings, w => w.Contains("ghost@skillancer.test (Start-SkRollout v1.2.3", StringComparison.Ordinal) && w.Contains("taken over", StringComparison.Ordinal));
        Assert.Equal(1, (await ReadLeaseAsync(environment)).Spec.LeaseTransitions);
    }

    [Fact]
    public async Task A_holder_renews_its_lease_so_it_outlives_its_duration()
    {
        var environment = Short(await sandbox.NewEnvironmentAsync());
        using var cluster = sandbox.Connect(environment);
        await using var held = await EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Alice, "Start-SkRollout"), OperationHost.Silent, CancellationToken.None);

        // Renewed at a third of its two seconds: past its first expiry it is still held.
        var renewed = await Eventually.ReadAsync(() => ReadLeaseAsync(environment), l => l.Spec.RenewTime > held.Holder.Since.UtcDateTime.AddSeconds(2.5));
        var refused = await Assert.ThrowsAsync<DeployException>(() => EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Bob, "Start-SkRollout"), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(held.Holder.Holder, renewed.Spec.HolderIdentity);
        Assert.Equal(StateErrors.DeploymentLocked, refused.ErrorId);
        Assert.False(held.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task A_waiting_action_gets_the_lock_once_the_holder_releases_it()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var held = await EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Alice, "Start-SkRollout"), OperationHost.Silent, CancellationToken.None);
        var waiting = EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Bob, "Start-SkRollout") { Wait = TimeSpan.FromMinutes(1) }, OperationHost.Silent, CancellationToken.None);

        await held.DisposeAsync();
        await using var next = await waiting;

        Assert.Equal("bob@skillancer.test", next.Holder.User);
    }

    [Fact]
    public async Task A_broken_lock_is_reported_lost_to_its_holder()
    {
        var environment = Short(await sandbox.NewEnvironmentAsync());
        using var cluster = sandbox.Connect(environment);
        var warnings = new List<string>();
        await using var held = await EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Alice, "Start-SkRollout"), new OperationHost(_ => { }, w => { lock (warnings) warnings.Add(w); }, _ => { }), CancellationToken.None);

        var broken = await EnvironmentLock.BreakAsync(cluster, environment, CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(held.Lost.IsCancellationRequested));

        Assert.Equal(held.Holder.Holder, broken!.Holder);
        Assert.Null(await EnvironmentLock.ReadHolderAsync(cluster, environment, CancellationToken.None));
        lock (warnings)
        {
            Assert.Contains(warnings, w => w.Contains("was lost", StringComparison.Ordinal) && w.Contains("Unlock-SkEnvironment", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_viewer_cannot_take_the_lock_and_is_told_which_permission_it_lacks()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var viewer = sandbox.ConnectAs(environment, "viewer");

        var refused = await Assert.ThrowsAsync<DeployException>(() => EnvironmentLock.AcquireAsync(viewer, new LockRequest(environment, Alice, "Start-SkRollout"), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(KubernetesErrors.ClusterAccessDenied, refused.ErrorId);
        Assert.Contains("'create leases.coordination.k8s.io'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_wait_is_refused_before_any_request()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var before = (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count;

        var refused = await Assert.ThrowsAsync<DeployException>(() => EnvironmentLock.AcquireAsync(cluster, new LockRequest(environment, Alice, "x") { Wait = TimeSpan.FromSeconds(-1) }, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(StateErrors.InvalidLockTimeout, refused.ErrorId);
        Assert.Equal(before, (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count);
    }

    private static EnvironmentConfig Short(EnvironmentConfig environment) => environment with { State = environment.State with { LeaseDuration = TimeSpan.FromSeconds(2) } };

    private async Task<V1Lease> ReadLeaseAsync(EnvironmentConfig environment)
    {
        using var admin = sandbox.ConnectAsAdmin(environment);
        return await admin.Client.CoordinationV1.ReadNamespacedLeaseAsync("skdeploy-staging", environment.Kubernetes.Namespace);
    }
}
