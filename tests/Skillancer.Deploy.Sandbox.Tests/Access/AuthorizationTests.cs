using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Access;

/// <summary>
/// The sandbox's users and its RBAC authorizer: who each token is, what the seeded bindings grant each user,
/// and the real server's 403 for everything else.
/// </summary>
public class AuthorizationTests
{
    [Theory]
    [InlineData("deployer", "deployer@skillancer.test", "skillancer-deployers")]
    [InlineData("approver", "lead@skillancer.test", "eng-leads")]
    [InlineData("viewer", "viewer@skillancer.test", "skillancer-viewers")]
    [InlineData("admin", "sandbox-admin", "system:masters")]
    public async Task SelfSubjectReview_through_the_official_client_names_each_kubeconfig_s_user_and_groups(string role, string user, string group)
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(sandbox.Host.Kubeconfigs[role]));

        var review = await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());

        Assert.Equal(user, review.Status.UserInfo.Username);
        Assert.Equal([group, "system:authenticated"], review.Status.UserInfo.Groups);
    }

    [Fact]
    public async Task The_deployer_may_do_everything_the_engine_s_ClusterPermissions_lists_in_an_environment_and_in_a_copied_one()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var copied = await sandbox.Admin.PostAsJsonAsync("sandbox/kubernetes/environments", new { environment = "staging", @namespace = "t-copy" });
        copied.EnsureSuccessStatusCode();
        using var deployer = sandbox.ApiAs("deployer");

        foreach (var ns in new[] { "production", "t-copy" })
        {
            foreach (var access in ClusterPermissions.All)
            {
                var parts = access.Resource.Split('/');
                Assert.True(await AllowedAsync(deployer, access.Verb, access.Group, parts[0], parts.ElementAtOrDefault(1), access.ClusterScoped ? null : ns), $"{access} in {ns}");
            }

            foreach (var verb in new[] { "get", "list", "watch", "create", "update", "patch", "delete" })
            {
                Assert.True(await AllowedAsync(deployer, verb, "coordination.k8s.io", "leases", null, ns), $"{verb} leases in {ns}");
                Assert.True(await AllowedAsync(deployer, verb, "", "configmaps", null, ns), $"{verb} configmaps in {ns}");
            }
        }

        Assert.False(await AllowedAsync(deployer, "create", "", "namespaces", null, null));
        Assert.False(await AllowedAsync(deployer, "create", "", "secrets", null, "production"));
        Assert.False(await AllowedAsync(deployer, "get", "", "pods", null, "production"));
    }

    [Fact]
    public async Task Only_the_approver_may_create_approvals_and_the_viewer_may_only_read()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var approver = sandbox.ApiAs("approver");
        using var viewer = sandbox.ApiAs("viewer");
        using var deployer = sandbox.ApiAs("deployer");

        foreach (var access in ApproverPermissions.All)
        {
            Assert.True(await AllowedAsync(approver, access.Verb, access.Group, access.Resource, null, "production"), $"approver: {access}");
        }

        Assert.False(await AllowedAsync(approver, "patch", "apps", "deployments", null, "production"));
        Assert.False(await AllowedAsync(approver, "update", "coordination.k8s.io", "leases", null, "production"));
        Assert.False(await AllowedAsync(deployer, "create", "", "secrets", null, "production"));
        Assert.False(await AllowedAsync(deployer, "delete", "", "secrets", null, "production"));
        Assert.True(await AllowedAsync(deployer, "list", "", "secrets", null, "production"));
        foreach (var verb in new[] { "get", "list", "watch" })
        {
            Assert.True(await AllowedAsync(viewer, verb, "coordination.k8s.io", "leases", null, "production"));
            Assert.True(await AllowedAsync(viewer, verb, "", "configmaps", null, "production"));
            Assert.True(await AllowedAsync(viewer, verb, "apps", "deployments", null, "production"));
        }

        foreach (var verb in new[] { "create", "update", "patch", "delete" })
        {
            Assert.False(await AllowedAsync(viewer, verb, "", "secrets", null, "production"));
            Assert.False(await AllowedAsync(viewer, verb, "coordination.k8s.io", "leases", null, "production"));
        }
    }

    [Fact]
    public async Task A_refused_request_is_403_Forbidden_with_the_real_server_s_message_and_changes_nothing()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var viewer = sandbox.ApiAs("viewer");
        var approval = """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"approval-v1"},"stringData":{"version":"v1.2.3"}}""";

        var create = await FailureAsync(await viewer.PostAsync("api/v1/namespaces/production/secrets", StateResourcesTests.Json(approval)));
        var scale = await FailureAsync(await viewer.PatchAsync("apis/apps/v1/namespaces/staging/deployments/web/scale", new StringContent("""{"spec":{"replicas":0}}""", Encoding.UTF8, "application/merge-patch+json")));
        var namespaces = await FailureAsync(await sandbox.ApiAs("deployer").PostAsync("api/v1/namespaces", StateResourcesTests.Json("""{"metadata":{"name":"mine"}}""")));
        using var stored = await sandbox.Api.GetAsync("api/v1/namespaces/production/secrets/approval-v1");

        Assert.Equal((403, "Forbidden"), (create.Code, create.Reason));
        Assert.Equal("secrets is forbidden: User \"viewer@skillancer.test\" cannot create resource \"secrets\" in API group \"\" in the namespace \"production\"", create.Message);
        Assert.Equal("deployments.apps \"web\" is forbidden: User \"viewer@skillancer.test\" cannot patch resource \"deployments/scale\" in API group \"apps\" in the namespace \"staging\"", scale.Message);
        Assert.Equal("namespaces is forbidden: User \"deployer@skillancer.test\" cannot create resource \"namespaces\" in API group \"\" at the cluster scope", namespaces.Message);
        Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
    }

    [Fact]
    public async Task A_Role_s_resourceNames_and_namespace_bound_what_a_RoleBinding_grants()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await CreateAsync(sandbox, "apis/rbac.authorization.k8s.io/v1/namespaces/staging/roles", """
            {"metadata":{"name":"one-deployment"},"rules":[{"apiGroups":["apps"],"resources":["deployments"],"resourceNames":["web"],"verbs":["get","patch"]}]}
            """);
        await CreateAsync(sandbox, "apis/rbac.authorization.k8s.io/v1/namespaces/staging/rolebindings", """
            {"metadata":{"name":"lead-web"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"lead@skillancer.test"}],
             "roleRef":{"kind":"Role","apiGroup":"rbac.authorization.k8s.io","name":"one-deployment"}}
            """);
        using var approver = sandbox.ApiAs("approver");

        Assert.True(await AllowedAsync(approver, "patch", "apps", "deployments", null, "staging", "web"));
        Assert.False(await AllowedAsync(approver, "patch", "apps", "deployments", null, "staging", "auth-svc"));
        Assert.False(await AllowedAsync(approver, "patch", "apps", "deployments", "scale", "staging", "web"));
        Assert.False(await AllowedAsync(approver, "list", "apps", "deployments", null, "staging"));
        Assert.False(await AllowedAsync(approver, "patch", "apps", "deployments", null, "production", "web"));
        var review = await ReviewAsync(approver, "get", "apps", "deployments", null, "staging", "web");
        Assert.Equal("RBAC: allowed by RoleBinding \"lead-web/staging\" of Role \"one-deployment\" to User \"lead@skillancer.test\"", review["reason"]!.GetValue<string>());
        using var patched = await approver.PatchAsync("apis/apps/v1/namespaces/staging/deployments/web", new StringContent("""{"metadata":{"labels":{"approved":"yes"}}}""", Encoding.UTF8, "application/merge-patch+json"));
        using var refused = await approver.PatchAsync("apis/apps/v1/namespaces/staging/deployments/auth-svc", new StringContent("""{"metadata":{"labels":{"approved":"yes"}}}""", Encoding.UTF8, "application/merge-patch+json"));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (patched.StatusCode, refused.StatusCode));
    }

    [Fact]
    public async Task An_unknown_token_is_401_and_the_request_log_records_refused_requests()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var stranger = sandbox.ApiAs("viewer");
        stranger.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-sandbox-token");

        using var unknown = await stranger.GetAsync("api/v1/namespaces/production/configmaps");
        using var refused = await sandbox.ApiAs("viewer").DeleteAsync("apis/apps/v1/namespaces/production/deployments/web");
        var log = (await sandbox.Admin.GetFromJsonAsync<JsonArray>("sandbox/requests"))!;

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(log, r => r!["method"]!.GetValue<string>() == "DELETE" && r["status"]!.GetValue<int>() == 403);
    }

    private static async Task CreateAsync(KubeSandbox sandbox, string collection, string body)
    {
        using var response = await sandbox.Api.PostAsync(collection, StateResourcesTests.Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<bool> AllowedAsync(HttpClient client, string verb, string group, string resource, string? subresource, string? ns, string? name = null) =>
        (await ReviewAsync(client, verb, group, resource, subresource, ns, name))["allowed"]!.GetValue<bool>();

    private static async Task<JsonObject> ReviewAsync(HttpClient client, string verb, string group, string resource, string? subresource, string? ns, string? name)
    {
        var attributes = new JsonObject { ["verb"] = verb, ["group"] = group, ["resource"] = resource };
        if (subresource is not null) attributes["subresource"] = subresource;
        if (ns is not null) attributes["namespace"] = ns;
        if (name is not null) attributes["name"] = name;
        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = attributes },
        };
        using var response = await client.PostAsync("apis/authorization.k8s.io/v1/selfsubjectaccessreviews", StateResourcesTests.Json(review.ToJsonString()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.AsObject();
    }

    private static async Task<(int Code, string Reason, string Message)> FailureAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var status = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            return ((int)response.StatusCode, status["reason"]!.GetValue<string>(), status["message"]!.GetValue<string>());
        }
    }
}
