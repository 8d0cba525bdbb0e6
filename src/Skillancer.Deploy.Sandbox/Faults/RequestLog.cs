using System.Collections.Concurrent;

namespace Skillancer.Deploy.Sandbox.Faults;

/// <summary>
/// Every request the sandbox served, in order, so that a test can prove what a command sent (or that
/// -WhatIf sent nothing that changes state): <c>GET /sandbox/requests[?since=N][&amp;mutating=true]</c>,
/// <c>DELETE /sandbox/requests</c>. The admin API's own requests are not recorded.
/// </summary>
internal sealed class RequestLog
{
    private const int Capacity = 20000;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private long _sequence;

    public IReadOnlyList<RecordedRequest> Since(long sequence) => _requests.Where(r => r.Sequence > sequence).ToList();

    public void Map(WebApplication app)
    {
        app.MapGet("/sandbox/requests", (long? since, bool? mutating) =>
            Results.Json(Since(since ?? 0).Where(r => mutating is not true || r.Mutating), AdminJson.Options));
        app.MapDelete("/sandbox/requests", () =>
        {
            _requests.Clear();
            return Results.NoContent();
        });
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var record = !(request.Path.Value ?? "").StartsWith("/sandbox/", StringComparison.Ordinal);
        try
        {
            await next(context);
        }
        finally
        {
            if (record)
            {
                _requests.Enqueue(new RecordedRequest(
                    Interlocked.Increment(ref _sequence),
                    DateTimeOffset.UtcNow,
                    request.Method,
                    request.Path.Value ?? "/",
                    request.QueryString.Value ?? "",
                    request.ContentType,
                    context.Response.StatusCode));
                while (_requests.Count > Capacity && _requests.TryDequeue(out _))
                {
                }
            }
        }
    }
}

/// <summary>One served request. Mutating: a method that can change state (anything but GET, HEAD and OPTIONS).</summary>
internal sealed record RecordedRequest(long Sequence, DateTimeOffset Time, string Method, string Path, string Query, string? ContentType, int Status)
{
    public bool Mutating => Method is not ("GET" or "HEAD" or "OPTIONS");
}
