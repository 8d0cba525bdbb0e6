using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Kubernetes;

/// <summary>The deployment controller's rollout rules, observed through a watch on the deployment's status.</summary>
public class DeploymentControllerTests
{
    private const string Deployments = KubeSandbox.StagingDeployments;

    [Theory]
    [InlineData(4, "1", "0")]
    [InlineData(4, "0", "1")]
    [InlineData(5, "\"50%\"", "\"25%\"")]
    public async Task A_rolling_update_never_exceeds_maxSurge_or_maxUnavailable(int replicas, string maxSurge, string maxUnavailable)
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await sandbox.MergePatchAsync($"{Deployments}/api-gateway", $$$$$"""{"spec":{"replicas":{{{{{replicas}}}}},"strategy":{"rollingUpdate":{"maxSurge":{{{{{maxSurge}}}}},"maxUnavailable":{{{{{maxUnavailable}}}}}}}}}""");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/api-gateway", "-n", "staging", "--timeout=30s");
        var from = await sandbox.ListVersionAsync();

        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/api-gateway", "api-gateway=skillancer/api-gateway:v1.2.3", "-n", "staging");
        await using var watch = await WatchReader.OpenAsync(sandbox.Api, $"{Deployments}?watch=true&resourceVersion={from}&fieldSelector=metadata.name%3Dapi-gateway");
        var states = (await watch.ReadUntilAsync(e => Complete(e, replicas))).Select(e => e["object"]!["status"]!).ToList();

        var surge = Resolve(maxSurge, replicas, up: true);
        var unavailable = Resolve(maxUnavailable, replicas, up: false);
        Assert.True(states.Count > 2, "the rollout went in steps");
        Assert.All(states, s => Assert.InRange(Count(s, "replicas"), 0, replicas + surge));
        Assert.All(states, s => Assert.InRange(Count(s, "availableReplicas"), replicas - unavailable, replicas + surge));
    }

    [Fact]
    public async Task Recreate_stops_every_old_pod_before_starting_new_ones()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await sandbox.MergePatchAsync($"{Deployments}/auth-svc", """{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}""");
        var from = await sandbox.ListVersionAsync();

        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/auth-svc", "auth-svc=skillancer/auth-svc:v1.2.3", "-n", "staging");
        await using var watch = await WatchReader.OpenAsync(sandbox.Api, $"{Deployments}?watch=true&resourceVersion={from}&fieldSelector=metadata.name%3Dauth-svc");
        var states = (await watch.ReadUntilAsync(e => Complete(e, 2))).Select(e => e["object"]!["status"]!).ToList();

        Assert.Contains(states, s => Count(s, "replicas") == 0);
        Assert.All(states, s => Assert.True(Count(s, "updatedReplicas") == 0 || Count(s, "replicas") == Count(s, "updatedReplicas"), s.ToJsonString()));
    }

    [Fact]
    public async Task A_paused_deployment_does_not_roll_out_until_resumed()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await sandbox.Kubectl.SucceedAsync("rollout", "pause", "deployment/web", "-n", "staging");

        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/web", "web=skillancer/web:v1.2.3", "-n", "staging");
        var paused = await Eventually.ReadAsync(async () => (await sandbox.Api.GetFromJsonAsync<JsonObject>($"{Deployments}/web"))!, d => Condition(d, "Progressing")?["reason"]?.GetValue<string>() == "DeploymentPaused" && d["status"]!["observedGeneration"]!.GetValue<long>() == d["metadata"]!["generation"]!.GetValue<long>());
        var replicaSets = await sandbox.Kubectl.SucceedAsync("get", "replicasets", "-n", "staging", "-l", "app=web", "-o", "name");
        await sandbox.Kubectl.SucceedAsync("rollout", "resume", "deployment/web", "-n", "staging");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/web", "-n", "staging", "--timeout=30s");

        Assert.Equal("Unknown", Condition(paused, "Progressing")!["status"]!.GetValue<string>());
        Assert.Single(replicaSets.Trim().Split('\n'));
        Assert.Equal("2", await sandbox.Kubectl.SucceedAsync("get", "deployment", "web", "-n", "staging", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}"));
    }

    [Fact]
    public async Task Old_ReplicaSets_beyond_revisionHistoryLimit_are_deleted()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await sandbox.MergePatchAsync($"{Deployments}/market-svc", """{"spec":{"revisionHistoryLimit":1}}""");

        foreach (var version in new[] { "v1.2.3", "v1.2.4", "v1.2.5" })
        {
            await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/market-svc", $"market-svc=skillancer/market-svc:{version}", "-n", "staging");
            await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/market-svc", "-n", "staging", "--timeout=30s");
        }

        var history = await sandbox.Kubectl.SucceedAsync("rollout", "history", "deployment/market-svc", "-n", "staging");
        var images = await sandbox.Kubectl.SucceedAsync("get", "replicasets", "-n", "staging", "-l", "app=market-svc", "-o", "jsonpath={.items[*].spec.template.spec.containers[0].image}");

        Assert.Equal(["3", "4"], history.Trim().Split('\n').Skip(2).Select(l => l.Split(' ')[0]));
        Assert.Equal(["skillancer/market-svc:v1.2.4", "skillancer/market-svc:v1.2.5"], images.Split(' ').Order());
    }

    [Fact]
    public async Task Deleting_a_deployment_deletes_its_ReplicaSets()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        await sandbox.Kubectl.SucceedAsync("delete", "deployment", "skillpod-svc", "-n", "staging");
        var remaining = await Eventually.ReadAsync(
            async () => (await sandbox.Api.GetFromJsonAsync<JsonObject>("apis/apps/v1/namespaces/staging/replicasets?labelSelector=app%3Dskillpod-svc"))!["items"]!.AsArray(),
            items => items.Count == 0);

        Assert.Empty(remaining);
    }

    private static bool Complete(JsonObject e, int replicas) =>
        e["object"]!["status"]!["observedGeneration"]!.GetValue<long>() == e["object"]!["metadata"]!["generation"]!.GetValue<long>()
        && Condition(e["object"]!.AsObject(), "Progressing")?["reason"]?.GetValue<string>() == "NewReplicaSetAvailable"
        && Count(e["object"]!["status"]!, "updatedReplicas") == replicas
        && e["object"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().EndsWith("v1.2.3", StringComparison.Ordinal);

    private static JsonNode? Condition(JsonObject deployment, string type) =>
        (deployment["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => c?["type"]?.GetValue<string>() == type);

    private static int Count(JsonNode status, string field) => status[field]?.GetValue<int>() ?? 0;

    private static int Resolve(string json, int replicas, bool up) => json.Trim('"') is var value &&
        value.EndsWith('%') ? (int)(up ? Math.Ceiling(replicas * double.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture) / 100) : Math.Floor(replicas * double.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture) / 100)) : int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
}
