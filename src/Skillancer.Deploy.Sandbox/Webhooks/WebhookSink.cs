using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Skillancer.Deploy.Sandbox.Webhooks;

/// <summary>
/// A Slack-compatible incoming webhook at <c>/hooks/{**path}</c> that answers "ok" and records every
/// message (path, content type, body, time); <c>GET /sandbox/webhooks</c> lists them and
/// <c>DELETE /sandbox/webhooks</c> forgets them. Tests and the demo read deliveries from it.
/// </summary>
internal sealed class WebhookSink
{
    private readonly ConcurrentQueue<ReceivedMessage> _received = new();

    public void Map(WebApplication app)
    {
        app.MapPost("/hooks/{**path}", async (string path, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            _received.Enqueue(new ReceivedMessage(path, request.ContentType, body, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
            return Results.Text("ok");
        });
        app.MapGet("/sandbox/webhooks", () => Results.Json(_received.ToArray()));
        app.MapDelete("/sandbox/webhooks", () =>
        {
            _received.Clear();
            return Results.NoContent();
        });
    }

    /// <summary>One message the sink received.</summary>
    internal sealed record ReceivedMessage(string Path, string? ContentType, string Body, string ReceivedAt);
}
