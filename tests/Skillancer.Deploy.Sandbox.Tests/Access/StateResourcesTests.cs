using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Access;

/// <summary>ConfigMaps, Secrets and Leases: stored with the real API's shapes, and Leases with its optimistic concurrency.</summary>
public class StateResourcesTests
{
    private const string Leases = "apis/coordination.k8s.io/v1/namespaces/production/leases";

    [Fact]
    public async Task A_ConfigMap_is_created_listed_by_label_patched_and_deleted()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var deployer = sandbox.ApiAs("deployer");
        var body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"record-1","labels":{"app.kubernetes.io/managed-by":"skillancer-deploy"}},"data":{"status":"Running"}}""";

        using var created = await deployer.PostAsync("api/v1/namespaces/production/configmaps", Json(body));
        var patched = await PatchAsync(deployer, "api/v1/namespaces/production/configmaps/record-1", """{"data":{"status":"Succeeded"}}""");
        var listed = await deployer.GetFromJsonAsync<JsonObject>("api/v1/namespaces/production/configmaps?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dskillancer-deploy");
        using var deleted = await deployer.DeleteAsync("api/v1/namespaces/production/configmaps/record-1");
        using var gone = await deployer.GetAsync("api/v1/namespaces/production/configmaps/record-1");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Succeeded", patched["data"]!["status"]!.GetValue<string>());
        Assert.Equal("ConfigMapList", listed!["kind"]!.GetValue<string>());
        Assert.Equal("record-1", Assert.Single(listed["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_Secret_stores_base64_data_and_merges_stringData_into_it_as_the_real_API_does()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var body = """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"approval-1"},"data":{"kept":"a2VwdA==","over":"b2xk"},"stringData":{"over":"new","version":"v1.2.3"}}""";

        using var created = await sandbox.Api.PostAsync("api/v1/namespaces/production/secrets", Json(body));
        var stored = await sandbox.Api.GetFromJsonAsync<JsonObject>("api/v1/namespaces/production/secrets/approval-1");
        using var invalid = await sandbox.Api.PostAsync("api/v1/namespaces/production/secrets", Json("""{"metadata":{"name":"bad"},"data":{"x":"not base64!"}}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var data = stored!["data"]!.AsObject();
        Assert.Equal(["kept", "over", "version"], data.Select(p => p.Key).Order());
        Assert.Equal("kept", Decode(data["kept"]));
        Assert.Equal("new", Decode(data["over"]));
        Assert.Equal("v1.2.3", Decode(data["version"]));
        Assert.Null(stored["stringData"]);
        Assert.Equal("Opaque", stored["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("illegal base64 data", (await invalid.Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Lease_update_with_a_stale_resourceVersion_is_409_Conflict_with_the_real_message()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var deployer = sandbox.ApiAs("deployer");
        using var created = await deployer.PostAsync(Leases, Json(Lease("skdeploy-production", "first", null)));
        var stale = StoredVersion((await created.Content.ReadFromJsonAsync<JsonObject>())!);
        using var renewed = await deployer.PutAsync($"{Leases}/skdeploy-production", Json(Lease("skdeploy-production", "first", stale, renewTime: "2026-12-03T07:00:20.000000Z")));

        using var late = await deployer.PutAsync($"{Leases}/skdeploy-production", Json(Lease("skdeploy-production", "second", stale)));

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var status = (await late.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());
        Assert.Equal(
            "Operation cannot be fulfilled on leases.coordination.k8s.io \"skdeploy-production\": the object has been modified; please apply your changes to the latest version and try again",
            status["message"]!.GetValue<string>());
        var holder = await deployer.GetFromJsonAsync<JsonObject>($"{Leases}/skdeploy-production");
        Assert.Equal("first", holder!["spec"]!["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Eight_acquirers_racing_on_one_resourceVersion_leave_exactly_one_holder_and_seven_conflicts()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var deployer = sandbox.ApiAs("deployer");
        using var created = await deployer.PostAsync(Leases, Json(Lease("skdeploy-staging-race", "", null)));
        var version = StoredVersion((await created.Content.ReadFromJsonAsync<JsonObject>())!);
        using var start = new SemaphoreSlim(0);

        var racers = Enumerable.Range(1, 8).Select(async i =>
        {
            await start.WaitAsync();
            using var answer = await deployer.PutAsync($"{Leases}/skdeploy-staging-race", Json(Lease("skdeploy-staging-race", $"acquirer-{i}", version)));
            return (Holder: $"acquirer-{i}", answer.StatusCode);
        }).ToList();
        start.Release(8);
        var results = await Task.WhenAll(racers);

        var winner = Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(7, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var lease = await deployer.GetFromJsonAsync<JsonObject>($"{Leases}/skdeploy-staging-race");
        Assert.Equal(winner.Holder, lease!["spec"]!["holderIdentity"]!.GetValue<string>());
    }

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Lease(string name, string holder, string? resourceVersion, string renewTime = "2026-12-03T07:00:00.000000Z") => new JsonObject
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = resourceVersion is null ? new JsonObject { ["name"] = name } : new JsonObject { ["name"] = name, ["resourceVersion"] = resourceVersion },
        ["spec"] = new JsonObject { ["holderIdentity"] = holder, ["leaseDurationSeconds"] = 60, ["acquireTime"] = "2026-12-03T07:00:00.000000Z", ["renewTime"] = renewTime },
    }.ToJsonString();

    private static string StoredVersion(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    private static string Decode(JsonNode? value) => Encoding.UTF8.GetString(Convert.FromBase64String(value!.GetValue<string>()));

    private static async Task<JsonObject> PatchAsync(HttpClient client, string path, string patch)
    {
        using var response = await client.PatchAsync(path, new StringContent(patch, Encoding.UTF8, "application/merge-patch+json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
