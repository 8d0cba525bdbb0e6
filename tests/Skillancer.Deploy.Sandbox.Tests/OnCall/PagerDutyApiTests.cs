using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Hosting;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.OnCall;

/// <summary>The sandbox's PagerDuty /oncalls, as PagerDuty's REST API v2 answers it: a token, and the shifts that overlap the period asked.</summary>
public class PagerDutyApiTests
{
    [Fact]
    public async Task Oncalls_needs_the_token_and_answers_the_shifts_that_overlap_the_period()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var client = sandbox.Admin;
        var now = DateTimeOffset.UtcNow;
        using var set = await client.PutAsJsonAsync("sandbox/pagerduty/schedules/PTEST", new object[]
        {
            new { user = "Sam Ortiz", start = now.AddHours(-3), end = now.AddHours(-1) },
            new { user = "Lee Park", start = now.AddHours(-1), end = (DateTimeOffset?)null },
        });
        set.EnsureSuccessStatusCode();
        var query = $"pagerduty/oncalls?schedule_ids[]=PTEST&since={Uri.EscapeDataString(now.ToString("O"))}&until={Uri.EscapeDataString(now.AddMinutes(30).ToString("O"))}";

        using var anonymous = await client.GetAsync(query);
        using var request = new HttpRequestMessage(HttpMethod.Get, query);
        request.Headers.TryAddWithoutValidation("Authorization", $"Token token={sandbox.Host.Secrets[SandboxHost.PagerDutyTokenVariable]}");
        using var answered = await client.SendAsync(request);
        var oncalls = JsonNode.Parse(await answered.Content.ReadAsStringAsync())!["oncalls"]!.AsArray();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var oncall = Assert.Single(oncalls);
        Assert.Equal(("Lee Park", "PTEST"), (oncall!["user"]!["summary"]!.GetValue<string>(), oncall["schedule"]!["id"]!.GetValue<string>()));
        Assert.Null(oncall["end"]);
    }
}
