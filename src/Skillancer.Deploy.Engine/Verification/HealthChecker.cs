using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification;

/// <summary>
/// The runbook's "Verify Health Checks": asks every health endpoint at once, retries failures
/// with Polly, and reports one result per service.
/// </summary>
public static class HealthChecker
{
    private const string Activity = "Checking health";

    /// <summary>The health gate: checks every target, and fails with HealthCheckFailed when one is not healthy.</summary>
    public static async Task<GateResult<HealthResult>> VerifyAsync(
        IReadOnlyList<HealthTarget> targets, HealthCheckOptions options, OperationHost host, CancellationToken cancellationToken)
    {
        var results = await CheckAsync(targets, options, host, cancellationToken).ConfigureAwait(false);
        var unhealthy = results.Count(r => !r.Healthy);
        if (unhealthy > 0)
        {
            host.Warning($"{unhealthy} of {results.Count} services are not healthy.");
        }

        return new GateResult<HealthResult>(results, VerificationErrors.HealthFailure(results));
    }

    /// <summary>Checks every target concurrently; results come back in the targets' order.</summary>
    public static async Task<IReadOnlyList<HealthResult>> CheckAsync(
        IReadOnlyList<HealthTarget> targets, HealthCheckOptions options, OperationHost host, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            return [];
        }

        using var client = HttpClients.Create(options.Timeout, options.SkipCertificateCheck);
        var pipeline = BuildRetryPipeline(options, host);
        var answered = 0;
        host.Progress(new ProgressUpdate(Activity, $"Asking {targets.Count} services", 0));
        var checks = targets.Select(async target =>
        {
            var result = await CheckOneAsync(client, pipeline, target, options, host, cancellationToken).ConfigureAwait(false);
            var done = Interlocked.Increment(ref answered);
            host.Progress(new ProgressUpdate(Activity, $"{done} of {targets.Count} services answered", done * 100 / targets.Count));
            return result;
        });
        var results = await Task.WhenAll(checks).ConfigureAwait(false);
        host.Progress(new ProgressUpdate(Activity, "Done", 100, Completed: true));
        return results;
    }

    private static ResiliencePipeline<HealthResult> BuildRetryPipeline(HealthCheckOptions options, OperationHost host)
    {
        var builder = new ResiliencePipelineBuilder<HealthResult>();
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HealthResult>
            {
                MaxRetryAttempts = options.Retries,
                Delay = options.RetryInterval,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Healthy: false }),
                OnRetry = args =>
                {
                    var last = args.Outcome.Result!;
                    host.Verbose($"{last.Service}: attempt {args.AttemptNumber + 1} failed ({last.Error}); retrying in {args.RetryDelay.TotalSeconds:0.#} s.");
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    private static async Task<HealthResult> CheckOneAsync(
        HttpClient client, ResiliencePipeline<HealthResult> pipeline, HealthTarget target, HealthCheckOptions options, OperationHost host, CancellationToken cancellationToken)
    {
        var attempts = 0;
        return await pipeline.ExecuteAsync(
            async token => await AttemptAsync(client, target, options, ++attempts, host, token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<HealthResult> AttemptAsync(
        HttpClient client, HealthTarget target, HealthCheckOptions options, int attempt, OperationHost host, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, target.Url);
        if (target.Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.Token.Reveal());
        }

        int? status = null;
        string? error;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"No answer within {options.Timeout.TotalSeconds:0.###} s. Raise -TimeoutSec if the endpoint is just slow.");
        }
        catch (HttpRequestException e)
        {
            error = HttpClients.Describe(e, target.Url);
        }

        stopwatch.Stop();
        var latency = Math.Round(stopwatch.Elapsed.TotalMilliseconds, 1);
        host.Verbose($"GET {target.Url} -> {(status?.ToString(CultureInfo.InvariantCulture) ?? "no answer")} in {latency:0.#} ms (attempt {attempt}){(error is null ? string.Empty : $": {error}")}");
        return new HealthResult
        {
            Environment = target.Environment,
            Service = target.Service,
            DisplayName = target.DisplayName,
            Url = target.Url,
            Healthy = error is null,
            StatusCode = status,
            LatencyMs = latency,
            Attempts = attempt,
            Error = error is null ? null : Secret.Redact(error),
            CheckedAt = DateTimeOffset.UtcNow,
        };
    }
}
