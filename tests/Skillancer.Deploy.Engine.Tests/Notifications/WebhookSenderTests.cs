using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Engine.Notifications;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Notifications;

/// <summary>Delivery to the sandbox's Slack-compatible webhook sink, with its retries.</summary>
public class WebhookSenderTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    [Fact]
    public async Task A_notice_arrives_as_Slack_text_after_a_429_that_asked_to_wait()
    {
        var hook = new Uri(sandbox.Admin.BaseAddress!, $"hooks/test/{Guid.NewGuid():N}");
        var fault = await sandbox.AddFaultAsync(new { method = "POST", path = hook.AbsolutePath, status = 429, retryAfter = 1, times = 1 });
        var verbose = new List<string>();
        using var client = HttpClients.Create(TimeSpan.FromSeconds(5), false);
        var notice = NoticeTemplates.Rollback("web", "v1.2.3", "v1.2.2", "smoke tests failed", DateTimeOffset.UtcNow);

        var result = await WebhookSender.SendAsync(client, new Secret(hook.ToString(), "test"), notice, new OperationHost(verbose.Add, _ => { }, _ => { }), CancellationToken.None);
        await sandbox.RemoveFaultAsync(fault);
        var received = (await sandbox.Admin.GetFromJsonAsync<JsonArray>("sandbox/webhooks"))!
            .Where(m => m!["path"]!.GetValue<string>() == hook.AbsolutePath["/hooks/".Length..]).ToList();

        Assert.Equal(2, result.Attempts);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(hook.Host, result.Destination);
        var message = Assert.Single(received);
        Assert.StartsWith("🔄 *Deployment Rollback*", JsonNode.Parse(message!["body"]!.GetValue<string>())!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(verbose, v => Assert.DoesNotContain(hook.AbsolutePath, v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_webhook_that_refuses_the_message_is_NotificationFailed_without_its_URL()
    {
        var hook = new Uri(sandbox.Admin.BaseAddress!, $"hooks/test/{Guid.NewGuid():N}");
        var fault = await sandbox.AddFaultAsync(new { method = "POST", path = hook.AbsolutePath, status = 404 });
        using var client = HttpClients.Create(TimeSpan.FromSeconds(5), false);
        try
        {
            var failure = await Assert.ThrowsAsync<DeployException>(() => WebhookSender.SendAsync(
                client, new Secret(hook.ToString(), "test"), NoticeTemplates.Started("v1", "staging", "All services updated", DateTimeOffset.UtcNow), OperationHost.Silent, CancellationToken.None));

            Assert.Equal(WebhookSender.DeliveryFailed, failure.ErrorId);
            Assert.Contains("HTTP 404", failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(hook.AbsolutePath, failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }
}
