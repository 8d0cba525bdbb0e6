using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Polly;
using Polly.Retry;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Notifications;

/// <summary>
/// Posts notices to a Slack-compatible incoming webhook (<c>{"text": ...}</c>, with the runbook's
/// <c>**bold**</c> turned into Slack's <c>*bold*</c>). 429 (honouring Retry-After, up to 30 s) and 5xx are
/// retried; the URL is a secret and never appears in output, only its host.
/// </summary>
public static partial class WebhookSender
{
    /// <summary>Error id: the webhook refused the message or kept failing.</summary>
    public const string DeliveryFailed = "NotificationFailed";

    /// <summary>Delivers one notice.</summary>
    public static async Task<NotificationResult> SendAsync(HttpClient client, Secret webhook, Notice notice, OperationHost host, CancellationToken cancellationToken)
    {
        var url = new Uri(webhook.Reveal());
        var attempts = 0;
        var retry = new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(250),
            UseJitter = true,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>()
                .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta is { } after
                ? (TimeSpan?)TimeSpan.FromSeconds(Math.Min(after.TotalSeconds, 30))
                : null),
            OnRetry = args =>
            {
                host.Verbose($"The webhook at {url.Host} answered {(args.Outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : args.Outcome.Exception?.Message)}; trying again in {args.RetryDelay.TotalMilliseconds:0} ms.");
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        }).Build();
        var body = new JsonObject { ["text"] = SlackText(notice.Text) }.ToJsonString();
        try
        {
            using var response = await retry.ExecuteAsync(async token =>
            {
                attempts++;
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                return await client.PostAsync(url, content, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            host.Verbose($"POST webhook at {url.Host} ({notice.Title}) -> {(int)response.StatusCode} after {attempts} attempt(s)");
            if (!response.IsSuccessStatusCode)
            {
                var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new DeployException(DeliveryFailed, DeployErrorCategory.InvalidResult,
                    $"The webhook at {url.Host} refused \"{notice.Title}\" (HTTP {(int)response.StatusCode}: {Secret.Redact(answer.Trim())}). Check the webhook URL (the variable notifications.webhookUrlEnv names, or -WebhookUrl).",
                    notice.Title);
            }

            return new NotificationResult
            {
                Kind = notice.Kind,
                Title = notice.Title,
                Destination = url.Host,
                StatusCode = (int)response.StatusCode,
                Attempts = attempts,
                SentAt = DateTimeOffset.UtcNow,
            };
        }
        catch (HttpRequestException e)
        {
            throw new DeployException(DeliveryFailed, DeployErrorCategory.ConnectionError,
                $"The webhook at {url.Host} cannot be reached after {attempts} attempts: {Secret.Redact(HttpClients.Describe(e, url))}", notice.Title);
        }
    }

    /// <summary>The runbook's markdown as Slack's mrkdwn: <c>**bold**</c> becomes <c>*bold*</c>.</summary>
    public static string SlackText(string markdown) => Bold().Replace(markdown, "*$1*");

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Bold();
}
