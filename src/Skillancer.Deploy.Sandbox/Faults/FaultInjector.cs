using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Api;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Faults;

/// <summary>
/// Applies the fault rules to every request, and serves the admin API that sets them at run time:
/// <c>POST /sandbox/faults</c> (a rule or a list), <c>GET /sandbox/faults</c>, <c>DELETE /sandbox/faults[/{id}]</c>.
/// Kubernetes paths fail with a Status object, so that clients report the fault as a real server's.
/// </summary>
internal sealed class FaultInjector
{
    private readonly ConcurrentDictionary<string, Entry> _rules = new();
    private int _nextId;

    private sealed class Entry(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;

        public long Matched;

        public long Hit;
    }

    public FaultRule Add(FaultRule rule)
    {
        var problem = rule.Problem();
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }

        var stored = rule with { Id = rule.Id ?? Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture) };
        _rules[stored.Id!] = new Entry(stored);
        return stored;
    }

    public void Map(WebApplication app)
    {
        app.MapPost("/sandbox/faults", async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            var rules = body is JsonArray list ? list.Select(r => r!.Deserialize<FaultRule>(AdminJson.Options)!) : [body!.Deserialize<FaultRule>(AdminJson.Options)!];
            try
            {
                return Results.Json(rules.Select(Add).ToList(), AdminJson.Options, statusCode: 201);
            }
            catch (ArgumentException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: 400);
            }
        });
        app.MapGet("/sandbox/faults", () => Results.Json(_rules.Values.OrderBy(e => e.Rule.Id).Select(e => new { rule = e.Rule, matched = e.Matched, hit = e.Hit }), AdminJson.Options));
        app.MapDelete("/sandbox/faults", () =>
        {
            _rules.Clear();
            return Results.NoContent();
        });
        app.MapDelete("/sandbox/faults/{id}", (string id) => _rules.TryRemove(id, out _) ? Results.NoContent() : Results.NotFound());
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "/";
        var fault = path.StartsWith("/sandbox/", StringComparison.Ordinal) ? null : Choose(context.Request);
        if (fault is null)
        {
            await next(context);
            return;
        }

        if (fault.LatencyMs > 0)
        {
            await Task.Delay(fault.LatencyMs, context.RequestAborted);
        }

        if (fault.Status is { } status)
        {
            await FailAsync(context, status, fault.RetryAfter);
            return;
        }

        if (fault.WatchEvents is { } events)
        {
            context.Items[WatchStream.EventLimitItem] = events;
        }

        if (!fault.Drop || ResourceHandler.IsTrue(context.Request.Query["watch"]))
        {
            await next(context);
            return;
        }

        // Buffer the whole answer, send its headers and first half, then drop the connection.
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        await next(context);
        context.Response.Body = original;
        context.Response.ContentLength = buffer.Length;
        await original.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)(buffer.Length / 2)), context.RequestAborted);
        await original.FlushAsync(context.RequestAborted);
        context.Abort();
    }

    // The first rule that matches and whose turn it is; every matching rule counts the request.
    private FaultRule? Choose(HttpRequest request)
    {
        FaultRule? chosen = null;
        foreach (var entry in _rules.Values.OrderBy(e => e.Rule.Id, StringComparer.Ordinal))
        {
            if (!entry.Rule.Matches(request) || (entry.Rule.Times is { } times && Interlocked.Read(ref entry.Hit) >= times))
            {
                continue;
            }

            var n = Interlocked.Increment(ref entry.Matched);
            var due = Math.Floor(n * entry.Rule.Rate) > Math.Floor((n - 1) * entry.Rule.Rate);
            if (due && chosen is null)
            {
                Interlocked.Increment(ref entry.Hit);
                chosen = entry.Rule;
            }
        }

        return chosen;
    }

    private static async Task FailAsync(HttpContext context, int status, int? retryAfter)
    {
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith("/api", StringComparison.Ordinal))
        {
            var reason = status switch { 429 => "TooManyRequests", 503 => "ServiceUnavailable", 504 => "Timeout", 409 => "Conflict", _ => "InternalError" };
            var failure = KubeStatus.Failure(status, reason, $"injected fault: the server answered {status} ({reason})");
            if (retryAfter is { } delay)
            {
                failure["details"] = new JsonObject { ["retryAfterSeconds"] = delay };
            }

            await KubeResponse.FailAsync(context, failure);
            return;
        }

        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new { error = $"injected fault: {status}" }, context.RequestAborted);
    }
}
