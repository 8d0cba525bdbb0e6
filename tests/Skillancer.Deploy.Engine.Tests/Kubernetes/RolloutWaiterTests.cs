using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Kubernetes;

/// <summary>Waiting on the watch API: resume after a dropped watch, list again after 410 Gone, and the timeout.</summary>
public class RolloutWaiterTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    [Fact]
    public async Task A_dropped_watch_resumes_from_the_last_resourceVersion_and_sees_the_rollout_finish()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var ns = environment.Kubernetes.Namespace;
        var fault = await sandbox.AddFaultAsync(new { method = "GET", path = $"/apis/apps/v1/namespaces/{ns}/deployments", watchEvents = 1 });
        var host = new RecordingHost();
        using var cluster = sandbox.Connect(environment, host.Host);
        try
        {
            // A rollout that cannot finish holds the wait open until it watches; the good version then
            // rolls out under that watch, which the fault closes after its first event.
            await RolloutStarter.SetImageAsync(cluster, ns, environment.Service("web"), "skillancer/web:v1.2.3-broken", "test", CancellationToken.None);
            var messages = new List<string>();
            var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiting = RolloutWaiter.WaitAsync(cluster, ns, "web", TimeSpan.FromSeconds(60), p => { lock (messages) messages.Add(p.Message); listed.TrySetResult(); }, host.Host, CancellationToken.None);
            await listed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await RolloutStarter.SetImageAsync(cluster, ns, environment.Service("web"), "skillancer/web:v1.2.3", "test", CancellationToken.None);
            var wait = await waiting;

            Assert.True(wait.Done);
            Assert.Equal("deployment \"web\" successfully rolled out", messages[^1]);
            Assert.Contains(host.Verbose, v => v.Contains("the watch on deployment", StringComparison.Ordinal) && v.Contains("resuming from resourceVersion", StringComparison.Ordinal));
            Assert.True((await sandbox.RequestsAsync(ns)).Count(r => r.Path.EndsWith("/deployments", StringComparison.Ordinal)) > 2);
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }

    [Fact]
    public async Task An_expired_resourceVersion_lists_again()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var ns = environment.Kubernetes.Namespace;
        var host = new RecordingHost();
        using var cluster = sandbox.Connect(environment, host.Host);
        await RolloutStarter.SetImageAsync(cluster, ns, environment.Service("auth-svc"), "skillancer/auth-svc:v1.2.3", "test", CancellationToken.None);
        await RolloutWaiter.WaitAsync(cluster, ns, "auth-svc", TimeSpan.FromSeconds(60), _ => { }, host.Host, CancellationToken.None);
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments";
        var before = (await sandbox.RequestsAsync(ns)).Count(r => r.Path == path);

        // The watch after the list is held back; meanwhile the deployment changes and the history is compacted.
        var fault = await sandbox.AddFaultAsync(new { method = "GET", path, latencyMs = 3000, rate = 0.5, times = 1 });
        try
        {
            // A version that cannot finish keeps the list from showing a finished rollout; the good one follows while the watch is held back.
            await RolloutStarter.SetImageAsync(cluster, ns, environment.Service("auth-svc"), "skillancer/auth-svc:v1.2.4-broken", "test", CancellationToken.None);
            var waiting = RolloutWaiter.WaitAsync(cluster, ns, "auth-svc", TimeSpan.FromSeconds(60), _ => { }, host.Host, CancellationToken.None);
            await Eventually.TrueAsync(async () => (await sandbox.RequestsAsync(ns)).Count(r => r.Path == path) > before);
            await RolloutStarter.SetImageAsync(cluster, ns, environment.Service("auth-svc"), "skillancer/auth-svc:v1.2.4", "test", CancellationToken.None);
            await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"labels":{"touched":"yes"}}}""", V1Patch.PatchType.MergePatch), "auth-svc", ns);
            (await sandbox.Admin.PostAsync("sandbox/kubernetes/compact", null)).EnsureSuccessStatusCode();
            var wait = await waiting;

            Assert.True(wait.Done, string.Join("\n", host.Verbose));
            Assert.Contains(host.Verbose, v => v.Contains("has expired (410 Gone); listing deployment", StringComparison.Ordinal));
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }

    [Fact]
    public async Task A_rollout_that_does_not_finish_in_time_is_TimedOut_with_kubectls_message()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var ns = environment.Kubernetes.Namespace;
        using var cluster = sandbox.Connect(environment);

        await RolloutStarter.SetImageAsync(cluster, ns, environment.Service("web"), "skillancer/web:v1.2.3-broken", "test", CancellationToken.None);
        var wait = await RolloutWaiter.WaitAsync(cluster, ns, "web", TimeSpan.FromSeconds(2), _ => { }, OperationHost.Silent, CancellationToken.None);

        Assert.True(wait.TimedOut);
        Assert.Equal("Waiting for deployment \"web\" rollout to finish: 1 out of 2 new replicas have been updated...", wait.Progress!.Message);
    }

    [Fact]
    public async Task A_wait_whose_time_runs_out_while_it_pauses_after_a_failed_request_is_TimedOut()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var ns = environment.Kubernetes.Namespace;
        using var cluster = sandbox.Connect(environment);
        await RolloutStarter.SetImageAsync(cluster, ns, environment.Service("web"), "skillancer/web:v1.2.3-broken", "test", CancellationToken.None);
        // The list passes; every watch after it fails at once (the client's retries too), so the waiter pauses and tries again until its time runs out.
        var deployments = $"/apis/apps/v1/namespaces/{ns}/deployments";
        string[] faults =
        [
            await sandbox.AddFaultAsync(new { id = $"{ns}-a-list", method = "GET", path = deployments, latencyMs = 1, times = 1 }),
            await sandbox.AddFaultAsync(new { id = $"{ns}-b-watch", method = "GET", path = deployments, status = 503, retryAfter = 0 }),
        ];
        try
        {
            var wait = await RolloutWaiter.WaitAsync(cluster, ns, "web", TimeSpan.FromMilliseconds(700), _ => { }, OperationHost.Silent, CancellationToken.None);

            Assert.True(wait.TimedOut);
            Assert.False(wait.Progress!.Done);
        }
        finally
        {
            foreach (var fault in faults)
            {
                await sandbox.RemoveFaultAsync(fault);
            }
        }
    }

    [Fact]
    public async Task A_deployment_deleted_while_watched_is_reported()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var ns = environment.Kubernetes.Namespace;
        using var cluster = sandbox.Connect(environment);

        await RolloutStarter.SetImageAsync(cluster, ns, environment.Service("web"), "skillancer/web:v1.2.3-broken", "test", CancellationToken.None);
        var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = RolloutWaiter.WaitAsync(cluster, ns, "web", TimeSpan.FromSeconds(60), _ => listed.TrySetResult(), OperationHost.Silent, CancellationToken.None);
        await listed.Task.WaitAsync(TimeSpan.FromSeconds(30)); // deleted before the first list would be "not found", not "deleted"
        await cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", ns);
        var failure = await Assert.ThrowsAsync<DeployException>(() => waiting);

        Assert.Equal(KubernetesErrors.DeploymentDeleted, failure.ErrorId);
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_at_once()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var ns = environment.Kubernetes.Namespace;
        using var cluster = sandbox.Connect(environment);
        using var cancel = new CancellationTokenSource();

        await RolloutStarter.SetImageAsync(cluster, ns, environment.Service("web"), "skillancer/web:v1.2.3-broken", "test", CancellationToken.None);
        var waiting = RolloutWaiter.WaitAsync(cluster, ns, "web", TimeSpan.FromMinutes(5), p => { if (p.Message.Contains("1 out of 2", StringComparison.Ordinal)) cancel.Cancel(); }, OperationHost.Silent, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
