using Skillancer.Deploy.Engine.Cdn;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Orchestration;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Policy;

/// <summary>
/// Every engine entry point that changes the cluster checks its admission before its first request: an admission
/// for another environment is TargetMismatch, a recovery admission for a change is ChangeNotAdmitted, and the
/// sandbox's request log shows that nothing at all was asked of the cluster.
/// </summary>
public class AdmissionGateTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Steps => ["rollout", "rollout with undo", "rollback", "canary start", "canary weight", "canary complete", "canary stop", "cache clear"];

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task An_admission_for_another_environment_changes_nothing(string step)
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var before = (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count;
        var error = await Assert.ThrowsAsync<DeployException>(() => RunAsync(step, environment, Admissions.For("production")));

        Assert.Equal(TargetMismatch.ErrorId, error.ErrorId);
        Assert.Contains("'production'", error.Message, StringComparison.Ordinal);
        Assert.Empty((await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Skip(before));
    }

    [Theory]
    [InlineData("rollout")]
    [InlineData("canary start")]
    [InlineData("canary weight")]
    [InlineData("cache clear")]
    public async Task A_recovery_admission_does_not_let_a_change_through(string step)
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var before = (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count;
        var error = await Assert.ThrowsAsync<DeployException>(() => RunAsync(step, environment, Admissions.For(environment, StepKind.Recovery)));

        Assert.Equal("ChangeNotAdmitted", error.ErrorId);
        Assert.Empty((await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Skip(before));
    }

    private async Task RunAsync(string step, EnvironmentConfig environment, Admission admission)
    {
        using var cluster = sandbox.Connect(environment);
        var web = environment.Service("web");
        var host = OperationHost.Silent;
        var none = CancellationToken.None;
        var rollout = new RolloutRequest(environment, [web], "v1.2.3", true, Timeout);
        _ = step switch
        {
            "rollout" => (object?)await RolloutStarter.StartAsync(cluster, rollout, admission, host, none),
            "rollout with undo" => await RolloutWithUndo.StartAsync(cluster, rollout with { UndoOnFailure = true }, admission, host, none),
            "rollback" => await DeploymentRollback.UndoAsync(cluster, new RollbackRequest(environment, web, 0, true, Timeout), admission, host, none),
            "canary start" => await CanaryManager.StartAsync(cluster, environment, web, "v1.2.3", 5, null, Timeout, admission, host, none),
            "canary weight" => await CanaryManager.SetWeightAsync(cluster, environment, web, 25, admission, host, none),
            "canary complete" => await CanaryManager.CompleteAsync(cluster, environment, web, Timeout, admission, host, none),
            "canary stop" => await CanaryManager.StopAsync(cluster, environment, web, admission, host, none),
            "cache clear" => await CdnCacheClearer.ClearAsync(new CacheClearRequest(environment, ["/*"]), admission, host, none),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "unknown step"),
        };
    }
}
