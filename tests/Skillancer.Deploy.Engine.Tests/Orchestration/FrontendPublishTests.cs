using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Frontend;
using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Orchestration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Orchestration;

/// <summary>
/// Publish-SkFrontend's entry point: the cluster target against the sandbox's Kubernetes API (each test in
/// a namespace of its own), the Vercel target against the recorded-contract stand-in of the vercel CLI.
/// </summary>
[Collection(ProcessEnvironment.Name)]
public class FrontendPublishTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_cluster_target_rolls_out_the_frontend_tier_only()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var request = FrontendPublishRequest.ToCluster(environment, "v1.2.3", Timeout, undoOnFailure: false);

        using var cluster = sandbox.Connect(environment);
        var outcome = await FrontendPublish.PublishAsync(request, Admissions.For(environment), cluster, OperationHost.Silent, CancellationToken.None);
        var patched = (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Where(r => r.Method == "PATCH").Select(r => r.Path.Split('/')[^1]);

        Assert.Null(outcome.Vercel);
        Assert.Equal(["web"], outcome.Rollout!.Rollouts.Select(r => r.Service));
        Assert.Equal(RolloutStatus.Complete, outcome.Rollout.Rollouts.Single().Status);
        Assert.Equal(["web"], patched);
        Assert.Empty(outcome.Failures);
    }

    [Fact]
    public async Task A_failed_frontend_rollout_with_undo_goes_back_to_the_image_it_ran_before()
    {
        var environment = await sandbox.NewEnvironmentAsync(progressDeadlineSeconds: 1);
        var request = FrontendPublishRequest.ToCluster(environment, "v1.2.4-broken", Timeout, undoOnFailure: true);

        using var cluster = sandbox.Connect(environment);
        var outcome = await FrontendPublish.PublishAsync(request, Admissions.For(environment), cluster, OperationHost.Silent, CancellationToken.None);
        var web = (await Deployments.GetAsync(cluster, environment, [environment.Service("web")], CancellationToken.None)).Single();

        Assert.Equal(RolloutStatus.Failed, outcome.Rollout!.Rollouts.Single().Status);
        Assert.Equal(outcome.Rollout.Rollouts.Single().FromImage, outcome.Rollout.Rollbacks.Single().ToImage);
        Assert.Equal("v1.2.2", web.Version);
        Assert.Equal([KubernetesErrors.RolloutFailed], outcome.Failures.Select(f => f.ErrorId));
    }

    [Fact]
    public async Task An_environment_without_a_frontend_service_is_refused_by_name()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var backendOnly = environment with { Services = [.. environment.Services.Where(s => s.Tier != ServiceTier.Frontend)] };

        var failure = Assert.Throws<DeployException>(() => FrontendPublishRequest.ToCluster(backendOnly, "v1.2.3", Timeout, false));

        Assert.Equal(FrontendErrors.NoFrontendServices, failure.ErrorId);
        Assert.Contains("tier: frontend", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_bad_timeout_is_refused_before_the_admission_is_looked_at_or_the_cluster_asked(double seconds)
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var before = (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count;
        using var cluster = sandbox.Connect(environment);
        var request = FrontendPublishRequest.ToCluster(environment, "v1.2.3", TimeSpan.FromSeconds(seconds), false);

        // Admitted for another environment: the request's own problem is still the one reported.
        var failure = await Assert.ThrowsAsync<DeployException>(() => FrontendPublish.PublishAsync(
            request, Admissions.For("production"), cluster, OperationHost.Silent, CancellationToken.None));

        Assert.Equal("InvalidTimeout", failure.ErrorId);
        Assert.Equal(before, (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count);
    }

    [Fact]
    public async Task A_publish_admitted_for_another_environment_runs_nothing()
    {
        using var project = new TempFolder();
        var environment = await sandbox.NewEnvironmentAsync();
        var record = Path.Join(project.Path, "record.json");
        System.Environment.SetEnvironmentVariable("VERCEL_STANDIN_RECORD", record);
        try
        {
            var vercel = FrontendPublishRequest.ToVercel(new VercelDeployRequest(environment, project.Path, true, RepositoryFiles.VercelStandIn, new Secret("vca_other_token_51", "test"), Timeout));

            var failure = await Assert.ThrowsAsync<DeployException>(() => FrontendPublish.PublishAsync(
                vercel, Admissions.For("production"), null, OperationHost.Silent, CancellationToken.None));

            Assert.Equal(TargetMismatch.ErrorId, failure.ErrorId);
            Assert.False(File.Exists(record));
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("VERCEL_STANDIN_RECORD", null);
        }
    }

    [Fact]
    public async Task A_declined_Vercel_publish_runs_nothing()
    {
        using var project = new TempFolder();
        var environment = await sandbox.NewEnvironmentAsync();
        var record = Path.Join(project.Path, "record.json");
        System.Environment.SetEnvironmentVariable("VERCEL_STANDIN_RECORD", record);
        try
        {
            var asked = new List<string>();
            var declining = new OperationHost(_ => { }, _ => { }, _ => { }, (target, action) => { asked.Add($"{action} {target}"); return Approval.Declined; });
            var vercel = FrontendPublishRequest.ToVercel(new VercelDeployRequest(environment, project.Path, true, RepositoryFiles.VercelStandIn, new Secret("vca_declined_token_8", "test"), Timeout));

            var outcome = await FrontendPublish.PublishAsync(vercel, Admissions.For(environment), null, declining, CancellationToken.None);

            Assert.Null(outcome.Vercel);
            Assert.Null(outcome.Rollout);
            Assert.Equal([$"vercel deploy --prod {project.Path} (staging)"], asked);
            Assert.False(File.Exists(record));
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("VERCEL_STANDIN_RECORD", null);
        }
    }
}
