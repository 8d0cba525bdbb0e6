using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Kubernetes;

/// <summary>Undo-SkDeployment's engine: kubectl rollout undo's semantics, checked against the real kubectl's history.</summary>
public class DeploymentRollbackTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Undo_after_two_releases_goes_back_one_and_kubectl_agrees()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var web = environment.Service("web");
        await ReleaseAsync(cluster, environment, web, "1.2.3");
        await ReleaseAsync(cluster, environment, web, "1.2.4");

        var result = await DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, web, 0, Wait: true, Timeout), Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None);
        var history = await RevisionHistory.GetAsync(cluster, environment, web, CancellationToken.None);

        Assert.Equal((RollbackStatus.RolledBack, 3L, 2L, 4L), (result!.Status, result.FromRevision, result.ToRevision, result.Revision));
        Assert.Equal(("skillancer/web:v1.2.4", "skillancer/web:v1.2.3"), (result.FromImage, result.ToImage));
        Assert.Equal([1L, 3L, 4L], history.Select(h => h.Revision));
        Assert.Equal("v1.2.3", history.Single(h => h.Current).Version);
        Assert.Equal(KubectlHistory(environment, "web"), history.Select(h => (h.Revision, h.ChangeCause ?? "<none>")));
    }

    [Fact]
    public async Task Undo_to_a_revision_and_the_skip_when_it_already_runs()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var gateway = environment.Service("api-gateway");
        await ReleaseAsync(cluster, environment, gateway, "1.2.3");
        await ReleaseAsync(cluster, environment, gateway, "1.2.4");

        var back = await DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, gateway, 1, Wait: true, Timeout), Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None);
        var again = await DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, gateway, 4, Wait: true, Timeout), Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None);
        var state = (await Deployments.GetAsync(cluster, environment, [gateway], CancellationToken.None))[0];

        Assert.Equal((RollbackStatus.RolledBack, "skillancer/api-gateway:v1.2.2"), (back!.Status, back.ToImage));
        Assert.Equal(RollbackStatus.Skipped, again!.Status);
        Assert.Equal("skipped rollback (current template already matches revision 4)", again.Message);
        Assert.Equal(("v1.2.2", 4L), (state.Version, state.Revision));
    }

    [Fact]
    public async Task Going_back_to_an_image_reverts_exactly_one_rollout()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var market = environment.Service("market-svc");
        await ReleaseAsync(cluster, environment, market, "1.2.3");
        await ReleaseAsync(cluster, environment, market, "1.2.4");

        var reverted = await DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, market, 0, true, Timeout) { ToImage = "skillancer/market-svc:v1.2.2" }, Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None);
        var unchanged = await DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, market, 0, true, Timeout) { ToImage = "skillancer/market-svc:v1.2.2" }, Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None);

        Assert.Equal((RollbackStatus.RolledBack, 1L), (reverted!.Status, reverted.ToRevision));
        Assert.Equal(RollbackStatus.Skipped, unchanged!.Status);
    }

    [Fact]
    public async Task Undo_sends_kubectls_JSON_patch_once_and_nothing_under_WhatIf()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var auth = environment.Service("auth-svc");
        await ReleaseAsync(cluster, environment, auth, "1.2.3");
        var before = (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count(r => r.Method == "PATCH");

        var whatIf = await DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, auth, 0, true, Timeout), Admissions.For(environment, StepKind.Recovery), new RecordingHost(Approval.WhatIf).Host, CancellationToken.None);
        var afterWhatIf = (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count(r => r.Method == "PATCH");
        await DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, auth, 0, true, Timeout), Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None);

        Assert.Null(whatIf);
        Assert.Equal(before, afterWhatIf);
        Assert.Equal(before + 1, (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count(r => r.Method == "PATCH"));
    }

    [Fact]
    public async Task A_paused_deployment_and_a_missing_history_are_refused_with_what_to_do()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var web = environment.Service("web");
        var ns = environment.Kubernetes.Namespace;

        var noHistory = await Assert.ThrowsAsync<DeployException>(() => DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, web, 0, true, Timeout), Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None));
        var noRevision = await Assert.ThrowsAsync<DeployException>(() => DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, web, 7, true, Timeout), Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None));
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"paused":true}}""", V1Patch.PatchType.MergePatch), "web", ns);
        var paused = await Assert.ThrowsAsync<DeployException>(() => DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, web, 0, true, Timeout), Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(KubernetesErrors.NoRolloutHistory, noHistory.ErrorId);
        Assert.Equal(KubernetesErrors.RevisionNotFound, noRevision.ErrorId);
        Assert.Contains("it has 1", noRevision.Message, StringComparison.Ordinal);
        Assert.Equal(KubernetesErrors.DeploymentPaused, paused.ErrorId);
        Assert.Contains("kubectl rollout resume deployment/web", paused.Message, StringComparison.Ordinal);
    }

    private static async Task ReleaseAsync(ClusterConnection cluster, EnvironmentConfig environment, ServiceConfig service, string version)
    {
        var results = await RolloutStarter.StartAsync(cluster, new RolloutRequest(environment, [service], ImageTags.FromVersion(version), true, Timeout), Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
        Assert.Equal(RolloutStatus.Complete, results.Single().Status);
    }

    // kubectl rollout history, parsed: the revisions and change-causes the real client sees.
    private static IEnumerable<(long, string)> KubectlHistory(EnvironmentConfig environment, string deployment)
    {
        var output = ExternalProgram.Run("kubectl", Path.GetTempPath(),
            ["--kubeconfig", environment.Kubernetes.Kubeconfig!, "--cache-dir", Path.Join(Path.GetTempPath(), "skdeploy-kubectl-cache"), "rollout", "history", $"deployment/{deployment}", "-n", environment.Kubernetes.Namespace]);
        return output.Split('\n').Skip(2).Where(l => l.Trim().Length > 0)
            .Select(l => Regex.Match(l, @"^(\d+)\s+(.*)$"))
            .Select(m => (long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value.Trim()));
    }
}
