using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Hosting;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Services;

/// <summary>The web app's smoke-test pages follow the services behind them, and the signed-in page needs the test user's token.</summary>
public class WebAppPagesTests
{
    [Fact]
    public async Task The_pages_answer_while_the_services_are_good_and_fail_with_a_faulty_backend()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var jobs = await sandbox.Admin.GetFromJsonAsync<JsonObject>("svc/staging/web/api/jobs");
        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/market-svc", "market-svc=skillancer/market-svc:v1.2.3-faulty", "-n", "staging");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/market-svc", "-n", "staging", "--timeout=30s");
        var failing = await Eventually.ReadAsync(() => sandbox.Admin.GetAsync("svc/staging/web/api/jobs"), r => r.StatusCode == HttpStatusCode.InternalServerError);
        using var home = await sandbox.Admin.GetAsync("svc/staging/web/");

        Assert.Equal(3, jobs!["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        Assert.Contains("market-svc failed the request", await failing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode); // the homepage does not need market-svc
    }

    [Fact]
    public async Task The_signed_in_page_needs_the_test_users_token()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var anonymous = await sandbox.Admin.GetAsync("svc/staging/web/api/me");
        using var request = new HttpRequestMessage(HttpMethod.Get, "svc/staging/web/api/me");
        request.Headers.TryAddWithoutValidation("Authorization", sandbox.Host.Secrets[SandboxHost.SmokeAuthorizationVariable]);
        using var signedIn = await sandbox.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains("smoke-test@skillancer.test", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
