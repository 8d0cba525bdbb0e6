using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Hosting;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Ci;

/// <summary>The sandbox's GitHub, as GitHub's REST API answers: a bearer token, rate-limit headers, Link pagination, the Kubernetes API left alone.</summary>
public class GitHubApiTests
{
    [Fact]
    public async Task Check_runs_need_the_token_are_paged_with_a_Link_header_and_carry_the_rate_limit()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var client = sandbox.Admin;
        var runs = Enumerable.Range(1, 150).Select(i => new { name = $"check-{i}", status = "completed", conclusion = "success" }).ToArray();
        using var set = await client.PutAsJsonAsync("sandbox/github/repos/acme/app/checks?ref=0123456789abcdef", new { checkRuns = runs, statuses = Array.Empty<object>() });
        set.EnsureSuccessStatusCode();

        using var anonymous = await client.GetAsync("api/v3/repos/acme/app/commits/0123456789abcdef/check-runs");
        using var first = await GetAsync(sandbox, "api/v3/repos/acme/app/commits/0123456789abcdef/check-runs?per_page=100");
        using var second = await GetAsync(sandbox, "api/v3/repos/acme/app/commits/0123456789abcdef/check-runs?per_page=100&page=2");
        var page1 = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        var page2 = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal((150, 100, 50), (page1["total_count"]!.GetValue<int>(), page1["check_runs"]!.AsArray().Count, page2["check_runs"]!.AsArray().Count));
        Assert.Equal("check-150", page2["check_runs"]!.AsArray()[^1]!["name"]!.GetValue<string>());
        Assert.Matches("page=2>; rel=\"next\"", string.Join(",", first.Headers.GetValues("Link")));
        Assert.False(second.Headers.Contains("Link"));
        Assert.Equal("5000", first.Headers.GetValues("x-ratelimit-limit").Single());
        Assert.True(long.Parse(first.Headers.GetValues("x-ratelimit-reset").Single(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_spent_rate_limit_answers_403_with_no_requests_remaining_until_its_reset()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var spend = await sandbox.Admin.PutAsJsonAsync("sandbox/github/ratelimit", new { resetAfterSeconds = 60 });
        spend.EnsureSuccessStatusCode();

        using var refused = await GetAsync(sandbox, "api/v3/repos/acme/app/commits/0123456789abcdef/status");
        using var kubernetes = await sandbox.Admin.GetAsync("api/v1/namespaces");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("0", refused.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Contains("API rate limit exceeded", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("rate limit", await kubernetes.Content.ReadAsStringAsync(), StringComparison.Ordinal);   // /api/v1 is still the Kubernetes API
    }

    [Fact]
    public async Task Release_branches_exist_for_the_published_versions_only()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        using var published = await GetAsync(sandbox, "api/v3/repos/acme/app/branches/release/v1.2.3");
        using var unpublished = await GetAsync(sandbox, "api/v3/repos/acme/app/branches/release/v9.9.9");
        var branch = JsonNode.Parse(await published.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Matches("^[0-9a-f]{40}$", branch["commit"]!["sha"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, unpublished.StatusCode);
    }

    private static Task<HttpResponseMessage> GetAsync(KubeSandbox sandbox, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {sandbox.Host.Secrets[SandboxHost.GitHubTokenVariable]}");
        return sandbox.Admin.SendAsync(request);
    }
}
