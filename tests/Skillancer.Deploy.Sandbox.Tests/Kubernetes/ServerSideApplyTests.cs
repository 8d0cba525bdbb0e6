using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Kubernetes;

/// <summary>Server-side apply (application/apply-patch+yaml) with the real kubectl, the official client and plain HTTP.</summary>
public class ServerSideApplyTests
{
    private const string Deployments = KubeSandbox.StagingDeployments;

    [Fact]
    public async Task Apply_server_side_creates_a_missing_deployment_which_then_rolls_out()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var manifest = await WriteAsync(sandbox, "demo.yaml", Demo(replicas: 2, image: "skillancer/demo:v1"));

        var applied = await sandbox.Kubectl.SucceedAsync("apply", "--server-side", "-f", manifest);
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/demo", "-n", "staging", "--timeout=30s");
        var pods = await sandbox.Kubectl.SucceedAsync("get", "pods", "-n", "staging", "-l", "app=demo", "-o", "name");

        Assert.Equal("deployment.apps/demo serverside-applied", applied.Trim());
        Assert.Equal(2, pods.Trim().Split('\n').Length);
    }

    [Fact]
    public async Task A_later_apply_merges_into_the_live_object_and_keeps_what_other_writers_set()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await sandbox.Kubectl.SucceedAsync("apply", "--server-side", "-f", await WriteAsync(sandbox, "v1.yaml", Demo(replicas: 2, image: "skillancer/demo:v1")));
        await sandbox.Kubectl.SucceedAsync("label", "deployment", "demo", "-n", "staging", "team=ops");
        var changed = await WriteAsync(sandbox, "v2.yaml", Demo(replicas: 3, image: "skillancer/demo:v2"));

        // A server-side dry run over HTTP: Debian's kubectl 1.20 looks for dry-run support in an OpenAPI v2 document the sandbox does not describe.
        using var dryRun = await ApplyAsync(sandbox, $"{Deployments}/demo?fieldManager=kubectl&dryRun=All", await File.ReadAllTextAsync(changed));
        var unchanged = await sandbox.Kubectl.SucceedAsync("get", "deployment", "demo", "-n", "staging", "-o", "jsonpath={.spec.replicas}");
        var applied = await sandbox.Kubectl.SucceedAsync("apply", "--server-side", "-f", changed);
        var live = JsonNode.Parse(await sandbox.Kubectl.SucceedAsync("get", "deployment", "demo", "-n", "staging", "-o", "json"))!;

        Assert.Equal(3, (await dryRun.Content.ReadFromJsonAsync<JsonObject>())!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("2", unchanged);
        Assert.Equal("deployment.apps/demo serverside-applied", applied.Trim());
        Assert.Equal(3, live["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("ops", live["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal(2, live["metadata"]!["generation"]!.GetValue<int>());
        var container = live["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        Assert.Equal("skillancer/demo:v2", container["image"]!.GetValue<string>());
        Assert.Equal("TCP", container["ports"]![0]!["protocol"]!.GetValue<string>()); // defaulted, as on every write
    }

    [Fact]
    public async Task A_virtual_service_is_created_and_its_routes_replaced_by_server_side_apply()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var created = await sandbox.Kubectl.SucceedAsync("apply", "--server-side", "-f", await WriteAsync(sandbox, "vs.yaml", Routes("api", 100, 0)));
        var updated = await sandbox.Kubectl.SucceedAsync("apply", "--server-side", "-f", await WriteAsync(sandbox, "vs2.yaml", Routes("api", 80, 20)));
        var weights = await sandbox.Kubectl.SucceedAsync("get", "virtualservice", "api", "-n", "staging", "-o", "jsonpath={.spec.http[0].route[*].weight}");

        Assert.Equal("virtualservice.networking.istio.io/api serverside-applied", created.Trim());
        Assert.Equal("virtualservice.networking.istio.io/api serverside-applied", updated.Trim());
        Assert.Equal("80 20", weights);
    }

    [Fact]
    public async Task The_official_client_applies_with_its_field_manager()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(sandbox.Host.Kubeconfigs["admin"]));
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "client-applied", NamespaceProperty = "staging" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "client-applied" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "client-applied" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "skillancer/app:v1" }] },
                },
            },
        };

        var created = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(deployment, V1Patch.PatchType.ApplyPatch), "client-applied", "staging", fieldManager: "skdeploy-tests");
        deployment.Spec.Replicas = 2;
        var updated = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(deployment, V1Patch.PatchType.ApplyPatch), "client-applied", "staging", fieldManager: "skdeploy-tests", force: true);

        Assert.Equal(1, created.Generation());
        Assert.Equal("IfNotPresent", created.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal(2, updated.Spec.Replicas);
        Assert.Equal(2, updated.Generation());
        Assert.Equal(created.Uid(), updated.Uid());
    }

    [Fact]
    public async Task A_YAML_body_creates_with_201_then_applies_with_200_and_types_its_scalars()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var body = Demo(replicas: 3, image: "skillancer/demo:v1").Replace("  namespace: staging\n", "  namespace: staging\n  annotations: {build: '42', canary: 'true'}\n", StringComparison.Ordinal);

        using var created = await ApplyAsync(sandbox, $"{Deployments}/demo?fieldManager=curl", body);
        using var again = await ApplyAsync(sandbox, $"{Deployments}/demo?fieldManager=curl", body);
        var live = (await again.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(3, live["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("42", live["metadata"]!["annotations"]!["build"]!.GetValue<string>());
        Assert.Equal("true", live["metadata"]!["annotations"]!["canary"]!.GetValue<string>());
        Assert.Equal(8080, live["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_apply_without_a_field_manager_or_for_another_kind_is_refused_and_creates_nothing()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        using var anonymous = await ApplyAsync(sandbox, $"{Deployments}/demo", Demo(replicas: 1, image: "skillancer/demo:v1"));
        using var wrongKind = await ApplyAsync(sandbox, $"{Deployments}/demo?fieldManager=curl", Demo(replicas: 1, image: "skillancer/demo:v1").Replace("kind: Deployment", "kind: ReplicaSet", StringComparison.Ordinal));
        using var missing = await sandbox.Api.GetAsync($"{Deployments}/demo");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, anonymous.StatusCode);
        var status = (await anonymous.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch", status["message"]!.GetValue<string>());
        Assert.Equal("fieldManager", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<HttpResponseMessage> ApplyAsync(KubeSandbox sandbox, string path, string yaml) =>
        await sandbox.Api.PatchAsync(path, new StringContent(yaml, Encoding.UTF8, "application/apply-patch+yaml"));

    private static async Task<string> WriteAsync(KubeSandbox sandbox, string name, string content)
    {
        var path = Path.Join(sandbox.Directory, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    private static string Demo(int replicas, string image) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: demo
          namespace: staging
        spec:
          replicas: {{{replicas}}}
          selector: {matchLabels: {app: demo}}
          template:
            metadata: {labels: {app: demo}}
            spec:
              containers:
              - name: demo
                image: {{{image}}}
                ports: [{containerPort: 8080}]

        """;

    private static string Routes(string name, int stable, int canary) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: {{{name}}}
          namespace: staging
        spec:
          hosts: [{{{name}}}]
          http:
          - route:
            - {destination: {host: {{{name}}}, subset: stable}, weight: {{{stable}}}}
            - {destination: {host: {{{name}}}, subset: canary}, weight: {{{canary}}}}

        """;
}
