using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Kubernetes;

/// <summary>Start-SkRollout's engine against the sandbox's Kubernetes API, each test in a namespace of its own.</summary>
public class RolloutStarterTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string[] RunbookOrder = ["auth-svc", "market-svc", "skillpod-svc", "api-gateway", "web"];

    [Fact]
    public async Task A_release_rolls_out_tier_by_tier_with_one_patch_per_deployment_and_its_change_cause()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);

        var results = await RolloutStarter.StartAsync(cluster, Request(environment, "1.2.3"), Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
        var states = await Deployments.GetAsync(cluster, environment, environment.Services, CancellationToken.None);
        var requests = await sandbox.RequestsAsync(environment.Kubernetes.Namespace);

        Assert.Equal(RunbookOrder, results.Select(r => r.Service));
        Assert.All(results, r => Assert.Equal(RolloutStatus.Complete, r.Status));
        Assert.All(results, r => Assert.Equal((2L, "v1.2.3"), (r.Revision, r.Version)));
        Assert.All(states, s => Assert.Equal(("v1.2.3", DeploymentStatus.Complete, 2), (s.Version, s.Status, s.Available)));
        Assert.All(states, s => Assert.Equal($"Skillancer.Deploy: v1.2.3 by {Environment.UserName}", s.ChangeCause));
        var patches = requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(5, patches.Count);
        Assert.Equal(environment.Services.Select(s => s.Deployment).Order(), patches.Select(p => p.Path.Split('/')[^1]).Order());
    }

    [Fact]
    public async Task A_failed_tier_stops_the_later_tiers_before_they_change()
    {
        var environment = await sandbox.NewEnvironmentAsync(progressDeadlineSeconds: 1);
        using var cluster = sandbox.Connect(environment);

        var results = await RolloutStarter.StartAsync(cluster, Request(environment, "v1.2.3-broken"), Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
        var gateway = await Deployments.GetAsync(cluster, environment, [environment.Service("api-gateway")], CancellationToken.None);

        Assert.All(results.Where(r => r.Service is "auth-svc" or "market-svc" or "skillpod-svc"), r =>
        {
            Assert.Equal(RolloutStatus.Failed, r.Status);
            Assert.Equal($"deployment \"{r.Deployment}\" exceeded its progress deadline", r.Message);
            Assert.NotNull(r.Failure());
        });
        Assert.All(results.Where(r => r.Service is "api-gateway" or "web"), r => Assert.Equal(RolloutStatus.NotStarted, r.Status));
        Assert.Equal(("v1.2.2", 1L), (gateway[0].Version, gateway[0].Revision));
    }

    [Fact]
    public async Task A_service_already_at_the_image_is_skipped_without_a_request()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var web = environment.Service("web");

        var results = await RolloutStarter.StartAsync(cluster, Request(environment, "v1.2.2", [web]), Admissions.For(environment), OperationHost.Silent, CancellationToken.None);

        var result = Assert.Single(results);
        Assert.Equal(RolloutStatus.Skipped, result.Status);
        Assert.DoesNotContain(await sandbox.RequestsAsync(environment.Kubernetes.Namespace), r => r.Method == "PATCH");
    }

    [Fact]
    public async Task WhatIf_asks_for_each_deployment_in_order_and_sends_no_mutating_request()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var host = new RecordingHost(Approval.WhatIf);
        using var cluster = sandbox.Connect(environment, host.Host);

        var results = await RolloutStarter.StartAsync(cluster, Request(environment, "1.2.3"), Admissions.For(environment), host.Host, CancellationToken.None);

        Assert.Empty(results);
        Assert.Equal(RunbookOrder.Select(s => $"Set image {s}=skillancer/{s}:v1.2.3"), host.Asked);
        Assert.All(await sandbox.RequestsAsync(environment.Kubernetes.Namespace), r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task NoWait_starts_every_tier_at_once()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);

        var results = await RolloutStarter.StartAsync(cluster, Request(environment, "1.2.3") with { Wait = false }, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(RolloutStatus.Started, r.Status));
        Assert.Equal(5, (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count(r => r.Method == "PATCH"));
    }

    [Fact]
    public async Task A_missing_deployment_fails_before_anything_changes()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var missing = environment with { Services = [.. environment.Services, environment.Services[0] with { Name = "payments", Deployment = "payments" }] };
        using var cluster = sandbox.Connect(environment);

        var failure = await Assert.ThrowsAsync<DeployException>(() => RolloutStarter.StartAsync(cluster, Request(missing, "1.2.3"), Admissions.For(missing), OperationHost.Silent, CancellationToken.None));

        Assert.Equal("DeploymentNotFound", failure.ErrorId);
        Assert.Contains($"There is no deployment 'payments' in namespace '{environment.Kubernetes.Namespace}'", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await sandbox.RequestsAsync(environment.Kubernetes.Namespace), r => r.Method == "PATCH");
    }

    [Fact]
    public async Task Faults_are_survived_with_exactly_one_applied_patch_per_deployment()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var ns = environment.Kubernetes.Namespace;
        var faults = new List<string>
        {
            await sandbox.AddFaultAsync(new { method = "GET", path = $"/apis/apps/v1/namespaces/{ns}/deployments/*", status = 500, rate = 0.5 }),
            await sandbox.AddFaultAsync(new { method = "PATCH", path = $"/apis/apps/v1/namespaces/{ns}/deployments/*", status = 429, retryAfter = 0, rate = 0.5 }),
            await sandbox.AddFaultAsync(new { method = "GET", path = $"/apis/apps/v1/namespaces/{ns}/deployments", watchEvents = 1 }),
        };
        using var cluster = sandbox.Connect(environment);
        try
        {
            var results = await RolloutStarter.StartAsync(cluster, Request(environment, "1.2.3"), Admissions.For(environment), OperationHost.Silent, CancellationToken.None);

            Assert.All(results, r => Assert.Equal(RolloutStatus.Complete, r.Status));
            var requests = await sandbox.RequestsAsync(ns);
            Assert.Contains(requests, r => r is { Method: "GET", Status: 500 });
            Assert.Contains(requests, r => r is { Method: "PATCH", Status: 429 });
            Assert.All(environment.Services, s => Assert.Single(requests, r => r.Method == "PATCH" && r.Status == 200 && r.Path.EndsWith("/" + s.Deployment, StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var id in faults)
            {
                await sandbox.RemoveFaultAsync(id);
            }
        }
    }

    [Fact]
    public async Task A_patch_the_server_may_have_applied_is_not_sent_again()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var ns = environment.Kubernetes.Namespace;
        var fault = await sandbox.AddFaultAsync(new { method = "PATCH", path = $"/apis/apps/v1/namespaces/{ns}/deployments/web", status = 500 });
        using var cluster = sandbox.Connect(environment);
        try
        {
            var failure = await Assert.ThrowsAsync<DeployException>(() => RolloutStarter.StartAsync(cluster, Request(environment, "1.2.3", [environment.Service("web")]), Admissions.For(environment), OperationHost.Silent, CancellationToken.None));

            Assert.Equal("ClusterRequestFailed", failure.ErrorId);
            Assert.Single(await sandbox.RequestsAsync(ns), r => r.Method == "PATCH");
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }

    private static RolloutRequest Request(EnvironmentConfig environment, string version, IReadOnlyList<ServiceConfig>? services = null) =>
        new(environment, services ?? environment.Services, ImageTags.FromVersion(version), Wait: true, Timeout);
}
