using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Hosting;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Registry;

/// <summary>The sandbox's OCI registry, spoken to as a registry client does: the challenge, the token flow, the manifests.</summary>
public class OciRegistryTests
{
    [Fact]
    public async Task A_manifest_needs_a_token_that_the_challenge_s_realm_gives_anonymously_and_unknown_tags_are_404()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var client = sandbox.Admin;

        using var challenged = await SendAsync(client, HttpMethod.Head, "v2/skillancer/web/manifests/v1.2.3", null);
        var challenge = challenged.Headers.WwwAuthenticate.Single();
        var realm = System.Text.RegularExpressions.Regex.Match(challenge.Parameter!, "realm=\"([^\"]+)\"").Groups[1].Value;
        var token = (await client.GetFromJsonAsync<JsonObject>($"{realm}?service=sandbox-registry&scope=repository:skillancer/web:pull"))!["token"]!.GetValue<string>();
        using var found = await SendAsync(client, HttpMethod.Head, "v2/skillancer/web/manifests/v1.2.3", token);
        using var broken = await SendAsync(client, HttpMethod.Head, "v2/skillancer/web/manifests/v1.2.4-broken", token);
        using var typo = await SendAsync(client, HttpMethod.Get, "v2/skillancer/web/manifests/v1.2.33", token);

        Assert.Equal((HttpStatusCode.Unauthorized, "Bearer"), (challenged.StatusCode, challenge.Scheme));
        Assert.Contains("scope=\"repository:skillancer/web:pull\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.StartsWith("sha256:", found.Headers.GetValues("Docker-Content-Digest").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, typo.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", JsonNode.Parse(await typo.Content.ReadAsStringAsync())!["errors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_token_endpoint_gives_a_token_for_the_registry_s_user_and_refuses_a_wrong_password()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var variables = sandbox.Host.Secrets;

        using var right = await TokenAsync(sandbox.Admin, variables[SandboxHost.RegistryUsernameVariable], variables[SandboxHost.RegistryPasswordVariable]);
        using var wrong = await TokenAsync(sandbox.Admin, variables[SandboxHost.RegistryUsernameVariable], "not-the-password");

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> TokenAsync(HttpClient client, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "registry/token?service=sandbox-registry&scope=repository:skillancer/web:pull");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await client.SendAsync(request);
    }
}
