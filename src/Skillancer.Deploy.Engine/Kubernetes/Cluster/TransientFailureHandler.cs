using System.Net;
using Polly;
using Polly.Retry;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Cluster;

/// <summary>
/// Retries what is safe to retry, with exponential backoff and the server's Retry-After. Reads (GET,
/// HEAD) are retried after 429, 5xx and dropped connections. Writes are retried only when the server
/// refused them without acting (429 Too Many Requests, 503 Service Unavailable): a patch is never sent
/// twice when the first one may have been applied.
/// </summary>
public sealed class TransientFailureHandler : DelegatingHandler
{
    private const int Attempts = 5;
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);
    private readonly ResiliencePipeline<HttpResponseMessage> _reads;
    private readonly ResiliencePipeline<HttpResponseMessage> _writes;

    /// <summary>Creates the handler; each retry is reported to <paramref name="host"/>'s verbose stream.</summary>
    public TransientFailureHandler(OperationHost host)
    {
        _reads = Build(host, IsTransientForRead);
        _writes = Build(host, IsRefusal);
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head ? _reads : _writes;
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        }

        return await pipeline.ExecuteAsync(
            async (state, token) => await base.SendAsync(state, token).ConfigureAwait(false),
            request,
            cancellationToken).ConfigureAwait(false);
    }

    private static ResiliencePipeline<HttpResponseMessage> Build(OperationHost host, Func<Outcome<HttpResponseMessage>, bool> transient) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Attempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(transient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    var what = args.Outcome.Result is { } response ? $"{(int)response.StatusCode} {response.ReasonPhrase}" : args.Outcome.Exception?.Message;
                    var request = args.Outcome.Result?.RequestMessage;
                    host.Verbose($"Kubernetes: {request?.Method} {request?.RequestUri?.AbsolutePath} failed ({what}); retry {args.AttemptNumber + 1} of {Attempts - 1} in {args.RetryDelay.TotalMilliseconds:0} ms");
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private static bool IsTransientForRead(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or IOException
        || outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError };

    private static bool IsRefusal(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable };

    // The server's Retry-After when it sent one (capped), else null for the exponential backoff.
    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is null ? null : wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait;
    }
}
