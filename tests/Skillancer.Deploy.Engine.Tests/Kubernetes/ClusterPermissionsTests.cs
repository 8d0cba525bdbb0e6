using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Engine.Configuration.Starter;
using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Kubernetes;

/// <summary>
/// ClusterPermissions is the one list of what the module asks of the Kubernetes API (README's RBAC Role
/// is tested against it). These tests hold it to what the engine really sends, read from the sandbox's request log.
/// </summary>
[Collection(ClusterScopedRequests.Name)]
public class ClusterPermissionsTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_request_of_every_cluster_operation_is_a_catalogued_permission_and_every_catalogued_permission_is_used()
    {
        var since = await LastSequenceAsync();
        var environment = await sandbox.NewEnvironmentAsync();
        var ns = environment.Kubernetes.Namespace;
        var web = environment.Service("web");
        var api = environment.Service("api-gateway");
        using (var cluster = sandbox.Connect(environment))
        {
            await Deployments.GetAsync(cluster, environment, environment.Services, CancellationToken.None);
            await RolloutStarter.StartAsync(cluster, new RolloutRequest(environment, [api], "v1.2.3", Wait: true, Timeout), Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
            await RevisionHistory.GetAsync(cluster, environment, api, CancellationToken.None);
            await DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, api, 0, Wait: true, Timeout), Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None);
            await CanaryManager.StartAsync(cluster, environment, web, "v1.2.3", 5, null, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
            await CanaryManager.StartAsync(cluster, environment, web, "v1.2.4", 10, null, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
            await CanaryManager.CompleteAsync(cluster, environment, web, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
            await CanaryManager.StartAsync(cluster, environment, web, "v1.2.5", 5, null, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
            await CanaryManager.StopAsync(cluster, environment, web, Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None);
            // The lock (read, created, released) and the journal (opened, closed, the older record pruned, one read by id).
            var keepOne = environment with { State = environment.State with { JournalKeep = 1 } };
            var change = new ChangeRequest(keepOne, Admissions.For(environment), new RecordSubject(RecordKind.Canary, null, ["web"]));
            await EnvironmentChange.RunAsync(cluster, change, OperationHost.Silent, _ => Task.FromResult(0), CancellationToken.None);
            await EnvironmentChange.RunAsync(cluster, change, OperationHost.Silent, _ => Task.FromResult(0), CancellationToken.None);
            // A change where approval is required reads the version's approvals first (none here: refused).
            var approval = new ChangeRequest(environment, Admissions.NeedingApproval(environment), new RecordSubject(RecordKind.Rollout, "v1.2.3", ["web"]));
            Assert.Equal(StateErrors.ApprovalRequired, (await Assert.ThrowsAsync<DeployException>(() => EnvironmentChange.RunAsync(cluster, approval, OperationHost.Silent, _ => Task.FromResult(0), CancellationToken.None))).ErrorId);
            var kept = Assert.Single(await DeploymentJournal.ListAsync(cluster, environment, CancellationToken.None));
            await DeploymentJournal.FindAsync(cluster, environment, new JournalQuery { Id = kept.Id }, CancellationToken.None);
        }

        using var folder = new TempFolder();
        await StarterConfigurations.WriteAsync(
            new StarterRequest(Path.Join(folder.Path, "skdeploy.yml"), ["staging"], Force: false)
            {
                FromCluster = true,
                Kubeconfig = environment.Kubernetes.Kubeconfig,
                Namespaces = new Dictionary<string, string> { ["staging"] = ns },
            },
            OperationHost.Silent, CancellationToken.None);

        var used = (await RequestsSinceAsync(since))
            .Where(r => r.Path.Contains($"/namespaces/{ns}/", StringComparison.Ordinal) || r.Path == "/api/v1/namespaces")
            .Select(r => ApiRequests.Access(r.Method, r.Path, r.Query))
            .ToHashSet();

        Assert.Equal(ClusterPermissions.All.Select(p => p.ToString()).Order(), used.Select(p => p.ToString()).Order());
    }

    [Fact]
    public async Task A_refused_request_names_the_permission_it_needs()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var api = environment.Service("api-gateway");
        var fault = await sandbox.AddFaultAsync(new { method = "PATCH", path = $"/apis/apps/v1/namespaces/{environment.Kubernetes.Namespace}/deployments/api-gateway", status = 403 });
        try
        {
            using var cluster = sandbox.Connect(environment);

            var refused = await Assert.ThrowsAsync<DeployException>(() =>
                RolloutStarter.SetImageAsync(cluster, environment.Kubernetes.Namespace, api, "skillancer/api-gateway:v1.2.3", "test", CancellationToken.None));

            Assert.Equal(KubernetesErrors.ClusterAccessDenied, refused.ErrorId);
            Assert.Contains("'patch deployments.apps'", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Connect to real systems", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }

    private async Task<long> LastSequenceAsync() =>
        (await sandbox.Admin.GetFromJsonAsync<JsonArray>("sandbox/requests"))!.Select(r => r!["sequence"]!.GetValue<long>()).DefaultIfEmpty(0).Max();

    private async Task<IReadOnlyList<(string Method, string Path, string Query)>> RequestsSinceAsync(long since) =>
        (await sandbox.Admin.GetFromJsonAsync<JsonArray>($"sandbox/requests?since={since}"))!
            .Select(r => (r!["method"]!.GetValue<string>(), r["path"]!.GetValue<string>(), r["query"]?.GetValue<string>() ?? ""))
            .ToList();
}
