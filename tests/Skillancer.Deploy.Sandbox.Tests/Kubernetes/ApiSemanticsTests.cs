using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Kubernetes;

/// <summary>The API server's rules: authentication, discovery, object metadata, validation and dry runs.</summary>
public class ApiSemanticsTests
{
    private const string Deployments = KubeSandbox.StagingDeployments;

    [Fact]
    public async Task Requests_without_the_token_are_401_and_plain_HTTP_is_refused()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        using var unauthorized = await SendWithoutTokenAsync(sandbox, Deployments);
        using var plain = await sandbox.Admin.GetAsync(Deployments);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("Unauthorized", (await unauthorized.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
    }

    [Fact]
    public async Task Discovery_describes_every_group_and_resource()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var core = await sandbox.Api.GetFromJsonAsync<JsonObject>("api");
        var coreV1 = await sandbox.Api.GetFromJsonAsync<JsonObject>("api/v1");
        var groups = await sandbox.Api.GetFromJsonAsync<JsonObject>("apis");
        var apps = await sandbox.Api.GetFromJsonAsync<JsonObject>("apis/apps/v1");
        var istio = await sandbox.Api.GetFromJsonAsync<JsonObject>("apis/networking.istio.io/v1");
        var version = await sandbox.Api.GetFromJsonAsync<JsonObject>("version");
        var coordination = await sandbox.Api.GetFromJsonAsync<JsonObject>("apis/coordination.k8s.io/v1");
        var rbac = await sandbox.Api.GetFromJsonAsync<JsonObject>("apis/rbac.authorization.k8s.io/v1");
        var authentication = await sandbox.Api.GetFromJsonAsync<JsonObject>("apis/authentication.k8s.io/v1");
        var authorization = await sandbox.Api.GetFromJsonAsync<JsonObject>("apis/authorization.k8s.io/v1");

        Assert.Equal("v1", core!["versions"]![0]!.GetValue<string>());
        Assert.Equal(["apps", "coordination.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "rbac.authorization.k8s.io", "networking.istio.io"], groups!["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()));
        Assert.Equal(["deployments", "deployments/status", "deployments/scale", "replicasets", "replicasets/status", "replicasets/scale"], Names(apps!));
        Assert.Equal(["virtualservices", "destinationrules"], Names(istio!));
        Assert.Equal(["namespaces", "namespaces/status", "pods", "events", "configmaps", "secrets"], Names(coreV1!));
        Assert.Equal(["leases"], Names(coordination!));
        Assert.Equal(["roles", "rolebindings", "clusterroles", "clusterrolebindings"], Names(rbac!));
        Assert.Equal(["selfsubjectreviews"], Names(authentication!));
        Assert.Equal(["selfsubjectaccessreviews"], Names(authorization!));
        Assert.Equal(["create"], authorization!["resources"]![0]!["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["get", "list", "watch"], coreV1!["resources"]![2]!["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("watch", apps!["resources"]![0]!["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("1", version!["major"]!.GetValue<string>());
    }

    [Fact]
    public async Task Writes_stamp_uid_and_creationTimestamp_and_bump_generation_only_for_spec_changes()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var before = await sandbox.Api.GetFromJsonAsync<JsonObject>($"{Deployments}/market-svc");

        var labelled = await sandbox.MergePatchAsync($"{Deployments}/market-svc", """{"metadata":{"labels":{"owner":"ops"}}}""");
        var scaled = await sandbox.MergePatchAsync($"{Deployments}/market-svc", """{"spec":{"replicas":3}}""");

        Assert.True(Guid.TryParse(before!["metadata"]!["uid"]!.GetValue<string>(), out _));
        Assert.True(DateTimeOffset.TryParse(before["metadata"]!["creationTimestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture, out _));
        Assert.Equal(1, Generation(before));
        Assert.Equal(1, Generation(labelled));
        Assert.Equal(2, Generation(scaled));
        Assert.True(Version(before) < Version(labelled) && Version(labelled) < Version(scaled));
        Assert.Equal(before["metadata"]!["uid"]!.GetValue<string>(), scaled["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_deployment_is_422_Invalid_naming_the_field()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var body = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"orphan"},
             "spec":{"selector":{"matchLabels":{"app":"orphan"}},"template":{"metadata":{"labels":{"app":"other"}},"spec":{"containers":[{"name":"c","image":"x:1"}]}}}}
            """;

        using var response = await sandbox.Api.PostAsync(Deployments, new StringContent(body, Encoding.UTF8, "application/json"));
        var status = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Invalid", status!["reason"]!.GetValue<string>());
        Assert.Equal("spec.template.metadata.labels", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(("apps", "Deployment", "orphan"), (status["details"]!["group"]!.GetValue<string>(), status["details"]!["kind"]!.GetValue<string>(), status["details"]!["name"]!.GetValue<string>()));
        Assert.StartsWith("Deployment.apps \"orphan\" is invalid: spec.template.metadata.labels", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_in_a_missing_namespace_is_404_and_an_existing_name_is_409_AlreadyExists()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var existing = await sandbox.Api.GetFromJsonAsync<JsonObject>($"{Deployments}/web");
        var elsewhere = existing!.DeepClone().AsObject();
        elsewhere["metadata"]!.AsObject().Remove("namespace");

        using var missing = await sandbox.Api.PostAsJsonAsync("apis/apps/v1/namespaces/nowhere/deployments", elsewhere);
        using var duplicate = await sandbox.Api.PostAsJsonAsync(Deployments, existing);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("namespaces \"nowhere\" not found", (await missing.Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("AlreadyExists", (await duplicate.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_dry_run_answers_with_the_result_and_stores_nothing()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var before = await sandbox.Api.GetFromJsonAsync<JsonObject>($"{Deployments}/web");

        var answer = await sandbox.MergePatchAsync($"{Deployments}/web?dryRun=All", """{"spec":{"replicas":5}}""");
        var after = await sandbox.Api.GetFromJsonAsync<JsonObject>($"{Deployments}/web");

        Assert.Equal(5, answer["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, after!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(Version(before!), Version(after));
    }

    private static async Task<HttpResponseMessage> SendWithoutTokenAsync(KubeSandbox sandbox, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var token = sandbox.Api.DefaultRequestHeaders.Authorization;
        sandbox.Api.DefaultRequestHeaders.Authorization = null;
        try
        {
            return await sandbox.Api.SendAsync(request);
        }
        finally
        {
            sandbox.Api.DefaultRequestHeaders.Authorization = token;
        }
    }

    private static List<string> Names(JsonObject resources) => resources["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();

    private static long Generation(JsonObject obj) => obj["metadata"]!["generation"]!.GetValue<long>();

    private static long Version(JsonObject obj) => long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
}
