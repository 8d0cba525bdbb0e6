using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Kubernetes;

/// <summary>The official C# client reads, lists, patches, replaces and watches every resource the sandbox serves, over TLS verified against the kubeconfig's CA.</summary>
public class KubernetesClientRoundTripTests
{
    private const string Ns = "staging";

    [Fact]
    public async Task Namespaces_round_trip()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var client = Connect(sandbox);

        var read = await client.CoreV1.ReadNamespaceAsync(Ns);
        var list = await client.CoreV1.ListNamespaceAsync();
        var patched = await client.CoreV1.PatchNamespaceAsync(new V1Patch("""{"metadata":{"labels":{"team":"platform"}}}""", V1Patch.PatchType.MergePatch), Ns);
        patched.Metadata.Annotations = new Dictionary<string, string> { ["owner"] = "ops" };
        var replaced = await client.CoreV1.ReplaceNamespaceAsync(patched, Ns);

        Assert.Equal("Active", read.Status.Phase);
        Assert.Equal(["production", "staging"], list.Items.Select(n => n.Name()));
        Assert.Equal("platform", (await WatchUntilAsync(client.CoreV1.WatchListNamespaceAsync(resourceVersion: list.Metadata.ResourceVersion), n => n.Labels()?.ContainsKey("team") == true)).Labels()["team"]);
        Assert.Equal("ops", replaced.Annotations()["owner"]);
        Assert.True(long.Parse(replaced.ResourceVersion(), CultureInfo.InvariantCulture) > long.Parse(patched.ResourceVersion(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Deployments_round_trip()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var client = Connect(sandbox);

        var read = await client.AppsV1.ReadNamespacedDeploymentAsync("api-gateway", Ns);
        var list = await client.AppsV1.ListNamespacedDeploymentAsync(Ns, labelSelector: "tier in (backend)");
        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"api-gateway","image":"skillancer/api-gateway:v1.2.3"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "api-gateway", Ns);
        var rolledOut = await WatchUntilAsync(
            client.AppsV1.WatchListNamespacedDeploymentAsync(Ns, fieldSelector: "metadata.name=api-gateway", resourceVersion: list.Metadata.ResourceVersion),
            d => d.Status.ObservedGeneration == d.Generation() && d.Spec.Template.Spec.Containers[0].Image.EndsWith("v1.2.3", StringComparison.Ordinal)
                && d.Status.UpdatedReplicas == 2 && d.Status.AvailableReplicas == 2 && d.Status.Replicas == 2);
        rolledOut.Spec.Replicas = 3;
        var replaced = await client.AppsV1.ReplaceNamespacedDeploymentAsync(rolledOut, "api-gateway", Ns);

        Assert.Equal(1, read.Generation());
        Assert.Equal(["auth-svc", "market-svc", "skillpod-svc"], list.Items.Select(d => d.Name()));
        Assert.Equal(2, patched.Generation());
        Assert.Equal(8080, patched.Spec.Template.Spec.Containers[0].Ports[0].ContainerPort); // merged by name: the port survived
        Assert.Equal("2", rolledOut.GetAnnotation("deployment.kubernetes.io/revision"));
        Assert.Equal(3, replaced.Spec.Replicas);
        Assert.Equal(3, replaced.Generation());
    }

    [Fact]
    public async Task ReplicaSets_round_trip()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var client = Connect(sandbox);

        var list = await client.AppsV1.ListNamespacedReplicaSetAsync(Ns, labelSelector: "app=web");
        var name = list.Items.Single().Name();
        var read = await client.AppsV1.ReadNamespacedReplicaSetAsync(name, Ns);
        var patched = await client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch("""[{"op":"test","path":"/spec/replicas","value":2},{"op":"add","path":"/metadata/annotations/note","value":"checked"}]""", V1Patch.PatchType.JsonPatch), name, Ns);
        patched.Metadata.Labels["audited"] = "yes";
        var replaced = await client.AppsV1.ReplaceNamespacedReplicaSetAsync(patched, name, Ns);

        Assert.Equal("Deployment", read.OwnerReferences().Single().Kind);
        Assert.True(read.OwnerReferences().Single().Controller);
        Assert.Equal(read.Spec.Template.Labels()["pod-template-hash"], name.Split('-')[^1]);
        Assert.Equal(2, read.Status.ReadyReplicas);
        var watched = await WatchUntilAsync(client.AppsV1.WatchListNamespacedReplicaSetAsync(Ns, resourceVersion: list.Metadata.ResourceVersion), rs => rs.Annotations()?.ContainsKey("note") == true);
        Assert.Equal("checked", watched.GetAnnotation("note"));
        Assert.Equal("yes", replaced.Labels()["audited"]);
        var failed = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch("""[{"op":"test","path":"/spec/replicas","value":7}]""", V1Patch.PatchType.JsonPatch), name, Ns));
        Assert.Equal(422, (int)failed.Response.StatusCode);
        Assert.Contains("testing value /spec/replicas failed: test failed (the value is 2, the test wants 7)", failed.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pods_and_events_are_read_listed_and_watched_and_a_pod_delete_is_refused()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var client = Connect(sandbox);

        var pods = await client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app=auth-svc");
        var read = await client.CoreV1.ReadNamespacedPodAsync(pods.Items[0].Name(), Ns);
        await client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"auth-svc","image":"skillancer/auth-svc:v1.2.3"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "auth-svc", Ns);
        var started = await WatchUntilAsync(
            client.CoreV1.WatchListNamespacedPodAsync(Ns, labelSelector: "app=auth-svc", resourceVersion: pods.Metadata.ResourceVersion),
            p => p.Spec.Containers[0].Image.EndsWith("v1.2.3", StringComparison.Ordinal) && p.Status.ContainerStatuses[0].Ready);
        var events = await client.CoreV1.ListNamespacedEventAsync(Ns, fieldSelector: "involvedObject.kind=Deployment,involvedObject.name=auth-svc");
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.DeleteNamespacedPodAsync(read.Name(), Ns));

        Assert.Equal(2, pods.Items.Count);
        Assert.Equal("Running", read.Status.Phase);
        Assert.True(read.Status.ContainerStatuses.Single().Ready);
        Assert.Equal("ReplicaSet", read.OwnerReferences().Single().Kind);
        Assert.Equal("TCP", read.Spec.Containers[0].Ports[0].Protocol);
        Assert.Equal(1, read.Spec.Containers[0].ReadinessProbe.TimeoutSeconds);
        var newReplicaSet = started.OwnerReferences().Single().Name;
        Assert.Equal("Running", started.Status.Phase);
        Assert.Contains(events.Items, e => e.Reason == "ScalingReplicaSet" && e.Message == $"Scaled up replica set {newReplicaSet} to 1" && e.Source.Component == "deployment-controller");
        Assert.All(events.Items, e => Assert.Equal(("Deployment", "auth-svc"), (e.InvolvedObject.Kind, e.InvolvedObject.Name)));
        Assert.Equal(405, (int)refused.Response.StatusCode);
    }

    [Fact]
    public async Task Virtual_services_round_trip()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var client = Connect(sandbox);
        var generic = new GenericClient(client, "networking.istio.io", "v1", "virtualservices", disposeClient: false);

        var read = await generic.ReadNamespacedAsync<IstioObject>(Ns, "web");
        var list = await generic.ListNamespacedAsync<IstioList>(Ns);
        var patched = await generic.PatchNamespacedAsync<IstioObject>(
            new V1Patch("""{"spec":{"http":[{"route":[{"destination":{"host":"web","subset":"stable"},"weight":90},{"destination":{"host":"web","subset":"canary"},"weight":10}]}]}}""", V1Patch.PatchType.MergePatch), Ns, "web");
        patched.Metadata.Labels = new Dictionary<string, string> { ["canary"] = "running" };
        var replaced = await generic.ReplaceNamespacedAsync(patched, Ns, "web");

        Assert.Equal("VirtualService", read.Kind);
        Assert.Equal(100, read.Spec.GetProperty("http")[0].GetProperty("route")[0].GetProperty("weight").GetInt32());
        Assert.Single(list.Items);
        var watched = await WatchUntilAsync(Istio(client, "virtualservices", list), vs => vs.Spec.GetProperty("http")[0].GetProperty("route")[1].GetProperty("weight").GetInt32() == 10);
        Assert.Equal(90, watched.Spec.GetProperty("http")[0].GetProperty("route")[0].GetProperty("weight").GetInt32());
        Assert.Equal("running", replaced.Labels()["canary"]);
    }

    [Fact]
    public async Task Destination_rules_round_trip()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var client = Connect(sandbox);
        var generic = new GenericClient(client, "networking.istio.io", "v1", "destinationrules", disposeClient: false);

        var read = await generic.ReadNamespacedAsync<IstioObject>(Ns, "web");
        var list = await generic.ListNamespacedAsync<IstioList>(Ns);
        var patched = await generic.PatchNamespacedAsync<IstioObject>(
            new V1Patch("""[{"op":"add","path":"/spec/subsets/-","value":{"name":"shadow","labels":{"track":"shadow"}}}]""", V1Patch.PatchType.JsonPatch), Ns, "web");
        patched.Metadata.Annotations = new Dictionary<string, string> { ["reviewed"] = "true" };
        var replaced = await generic.ReplaceNamespacedAsync(patched, Ns, "web");

        Assert.Equal(["stable", "canary"], read.Spec.GetProperty("subsets").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Single(list.Items);
        var watched = await WatchUntilAsync(Istio(client, "destinationrules", list), dr => dr.Spec.GetProperty("subsets").GetArrayLength() == 3);
        Assert.Equal("shadow", watched.Spec.GetProperty("subsets")[2].GetProperty("name").GetString());
        Assert.Equal("true", replaced.GetAnnotation("reviewed"));
    }

    [Fact]
    public async Task The_client_reports_a_missing_object_as_404_with_the_Status_message()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var client = Connect(sandbox);

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ReadNamespacedDeploymentAsync("payments", Ns));

        Assert.Equal(404, (int)failure.Response.StatusCode);
        Assert.Contains("deployments.apps \\\"payments\\\" not found", failure.Response.Content, StringComparison.Ordinal);
    }

    private static k8s.Kubernetes Connect(KubeSandbox sandbox) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(sandbox.Host.Kubeconfigs["admin"]));

    // A watch from the list's resourceVersion replays what changed since, so it may start after the change.
    private static async Task<T> WatchUntilAsync<T>(IAsyncEnumerable<(WatchEventType Type, T Item)> events, Func<T, bool> until)
    {
        await foreach (var (type, item) in events.WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
        {
            if (type == WatchEventType.Modified && until(item))
            {
                return item;
            }
        }

        throw new InvalidOperationException("the watch ended before the change arrived");
    }

    private static async IAsyncEnumerable<(WatchEventType, IstioObject)> Istio(k8s.Kubernetes client, string plural, IstioList list)
    {
        await foreach (var (type, item) in client.CustomObjects.WatchListNamespacedCustomObjectAsync("networking.istio.io", "v1", Ns, plural, resourceVersion: list.Metadata.ResourceVersion))
        {
            yield return (type, JsonSerializer.Deserialize<IstioObject>(((JsonElement)item).GetRawText())!);
        }
    }

    private sealed class IstioObject : IKubernetesObject<V1ObjectMeta>
    {
        [JsonPropertyName("apiVersion")]
        public string ApiVersion { get; set; } = "";

        [JsonPropertyName("kind")]
        public string Kind { get; set; } = "";

        [JsonPropertyName("metadata")]
        public V1ObjectMeta Metadata { get; set; } = new();

        [JsonPropertyName("spec")]
        public JsonElement Spec { get; set; }
    }

    private sealed class IstioList : IKubernetesObject<V1ListMeta>
    {
        [JsonPropertyName("apiVersion")]
        public string ApiVersion { get; set; } = "";

        [JsonPropertyName("kind")]
        public string Kind { get; set; } = "";

        [JsonPropertyName("metadata")]
        public V1ListMeta Metadata { get; set; } = new();

        [JsonPropertyName("items")]
        public List<IstioObject> Items { get; set; } = [];
    }
}
