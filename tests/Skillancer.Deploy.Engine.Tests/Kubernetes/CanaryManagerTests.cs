using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Kubernetes;

/// <summary>The canary through Istio, against the sandbox's VirtualService and DestinationRule.</summary>
public class CanaryManagerTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_widen_and_promote_a_canary()
    {
        var (environment, cluster, web) = await SetUpAsync();
        using var _ = cluster;

        var started = await CanaryManager.StartAsync(cluster, environment, web, "v1.2.3", 5, null, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
        var canaryPods = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web-canary", environment.Kubernetes.Namespace);
        var widened = await CanaryManager.SetWeightAsync(cluster, environment, web, 25, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
        var promoted = await CanaryManager.CompleteAsync(cluster, environment, web, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
        var deployments = await cluster.Client.AppsV1.ListNamespacedDeploymentAsync(environment.Kubernetes.Namespace);

        Assert.Equal(("skillancer/web:v1.2.2", "skillancer/web:v1.2.3", 95, 5, true, 1), (started!.StableImage, started.CanaryImage, started.StableWeight, started.CanaryWeight, started.CanaryReady, started.CanaryReplicas));
        Assert.Equal("canary", canaryPods.Spec.Template.Metadata.Labels["track"]);
        Assert.Equal("canary", canaryPods.Spec.Selector.MatchLabels["track"]);
        Assert.Equal((75, 25), (widened!.StableWeight, widened.CanaryWeight));
        Assert.Equal(("skillancer/web:v1.2.3", null, 100, 0), (promoted!.StableImage, promoted.CanaryImage, promoted.StableWeight, promoted.CanaryWeight));
        Assert.DoesNotContain(deployments.Items, d => d.Metadata.Name == "web-canary");
        Assert.Equal("stable", deployments.Items.Single(d => d.Metadata.Name == "web").Spec.Template.Metadata.Labels["track"]);
    }

    [Fact]
    public async Task Stop_takes_the_traffic_back_first_then_scales_the_canary_to_zero()
    {
        var (environment, cluster, web) = await SetUpAsync();
        using var _ = cluster;
        await CanaryManager.StartAsync(cluster, environment, web, "v1.2.3", 10, 2, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);

        var stopped = await CanaryManager.StopAsync(cluster, environment, web, Admissions.For(environment, StepKind.Recovery), OperationHost.Silent, CancellationToken.None);
        var writes = (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Where(r => r.Method is "PUT" or "PATCH").ToList();

        Assert.Equal((100, 0, 0, false), (stopped!.StableWeight, stopped.CanaryWeight, stopped.CanaryReplicas, stopped.CanaryReady));
        Assert.EndsWith("/virtualservices/web", writes[^2].Path, StringComparison.Ordinal);
        Assert.EndsWith("/deployments/web-canary/scale", writes[^1].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_routes_matches_and_retries_survive_a_weight_change()
    {
        var (environment, cluster, web) = await SetUpAsync();
        using var _ = cluster;
        var ns = environment.Kubernetes.Namespace;
        var original = await VirtualServices.ReadAsync(cluster, ns, "web", CancellationToken.None);
        var http = original["spec"]!["http"]!.AsArray();
        http[0]!["retries"] = new JsonObject { ["attempts"] = 3, ["perTryTimeout"] = "2s" };
        http[0]!["timeout"] = "10s";
        http.Insert(0, JsonNode.Parse("""{"match":[{"uri":{"prefix":"/admin"}}],"route":[{"destination":{"host":"admin","subset":"v1"},"weight":100}]}"""));
        await cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(original, VirtualServices.Group, VirtualServices.Version, ns, "virtualservices", "web");
        await CanaryManager.StartAsync(cluster, environment, web, "v1.2.3", 5, null, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);

        var after = await VirtualServices.ReadAsync(cluster, ns, "web", CancellationToken.None);

        var routes = after["spec"]!["http"]!.AsArray();
        Assert.Equal("/admin", routes[0]!["match"]![0]!["uri"]!["prefix"]!.GetValue<string>());
        Assert.Equal(100, routes[0]!["route"]![0]!["weight"]!.GetValue<int>());
        Assert.Equal(3, routes[1]!["retries"]!["attempts"]!.GetValue<int>());
        Assert.Equal("10s", routes[1]!["timeout"]!.GetValue<string>());
        Assert.Equal([95, 5], routes[1]!["route"]!.AsArray().Select(r => r!["weight"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_conflicting_write_is_read_again_and_retried()
    {
        var (environment, cluster, web) = await SetUpAsync();
        using var _ = cluster;
        var ns = environment.Kubernetes.Namespace;
        await CanaryManager.StartAsync(cluster, environment, web, "v1.2.3", 5, null, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
        var fault = await sandbox.AddFaultAsync(new { method = "PUT", path = $"/apis/networking.istio.io/v1/namespaces/{ns}/virtualservices/web", status = 409, times = 2 });
        var host = new RecordingHost();
        try
        {
            var status = await CanaryManager.SetWeightAsync(cluster, environment, web, 50, Admissions.For(environment), host.Host, CancellationToken.None);

            Assert.Equal(50, status!.CanaryWeight);
            Assert.Equal(2, host.Verbose.Count(v => v.Contains("changed while we updated it (409)", StringComparison.Ordinal)));
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }

    [Fact]
    public async Task Bad_weights_missing_routes_and_unconfigured_services_fail_before_any_change()
    {
        var (environment, cluster, web) = await SetUpAsync();
        using var _ = cluster;
        var ns = environment.Kubernetes.Namespace;

        var weight = await Assert.ThrowsAsync<DeployException>(() => CanaryManager.StartAsync(cluster, environment, web, "v1.2.3", 101, null, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None));
        var notConfigured = await Assert.ThrowsAsync<DeployException>(() => CanaryManager.StartAsync(cluster, environment, environment.Service("auth-svc"), "v1.2.3", 5, null, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None));
        var notRunning = await Assert.ThrowsAsync<DeployException>(() => CanaryManager.SetWeightAsync(cluster, environment, web, 20, Admissions.For(environment), OperationHost.Silent, CancellationToken.None));
        var wrongSubset = web with { Canary = web.Canary! with { CanarySubset = "preview" } };
        var route = await Assert.ThrowsAsync<DeployException>(() => CanaryManager.StartAsync(cluster, environment, wrongSubset, "v1.2.3", 5, null, Timeout, Admissions.For(environment), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(KubernetesErrors.InvalidWeight, weight.ErrorId);
        Assert.Equal(KubernetesErrors.CanaryNotConfigured, notConfigured.ErrorId);
        Assert.Equal(KubernetesErrors.CanaryNotRunning, notRunning.ErrorId);
        Assert.Equal(KubernetesErrors.CanaryRouteNotFound, route.ErrorId);
        Assert.Contains("has no HTTP route with destinations for both subset 'stable' and subset 'preview' (it has http[0]: stable, canary)", route.Message, StringComparison.Ordinal);
        Assert.All(await sandbox.RequestsAsync(ns), r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task WhatIf_sends_no_mutating_request()
    {
        var (environment, cluster, web) = await SetUpAsync();
        using var _ = cluster;
        var host = new RecordingHost(Approval.WhatIf);

        var started = await CanaryManager.StartAsync(cluster, environment, web, "v1.2.3", 5, null, Timeout, Admissions.For(environment), host.Host, CancellationToken.None);
        var stopped = await CanaryManager.StopAsync(cluster, environment, web, Admissions.For(environment, StepKind.Recovery), host.Host, CancellationToken.None);

        Assert.Null(started);
        Assert.Null(stopped);
        Assert.Equal(["Run canary skillancer/web:v1.2.3 (1 replicas)", "Stop the canary: route 100% to stable, then scale web-canary to 0"], host.Asked);
        Assert.All(await sandbox.RequestsAsync(environment.Kubernetes.Namespace), r => Assert.Equal("GET", r.Method));
    }

    private async Task<(EnvironmentConfig Environment, ClusterConnection Cluster, ServiceConfig Web)> SetUpAsync()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        return (environment, sandbox.Connect(environment), environment.Service("web"));
    }
}
