using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>What one instant query gave: a number, or why there is none.</summary>
/// <param name="At">When Prometheus evaluated the query (or when it was asked, if it did not answer).</param>
/// <param name="Value">The value; null when there is none.</param>
/// <param name="Unknown">Why there is no value; null when there is one.</param>
public sealed record PrometheusReading(DateTimeOffset At, double? Value, string? Unknown);

/// <summary>
/// One instant query against Prometheus' HTTP API (<c>GET /api/v1/query</c>). Every answer that is not
/// a finite number becomes a reading with a reason (empty result, NaN, Inf, a Prometheus error, no
/// answer at all) so that the caller can call it Unknown; only a query Prometheus cannot parse is an
/// error, since asking again would not help. An unreachable server is retried with backoff for as
/// long as the caller allows (the watch interval).
/// </summary>
public static class PrometheusQuery
{
    /// <summary>Error id: Prometheus rejected the query's syntax (bad_data).</summary>
    public const string QueryInvalid = "ErrorRateQueryInvalid";

    /// <summary>Evaluates <paramref name="query"/> now, trying for at most <paramref name="within"/>.</summary>
    public static async Task<PrometheusReading> ReadAsync(
        HttpClient client, Uri server, string query, TimeSpan within, OperationHost host, CancellationToken cancellationToken)
    {
        var url = new Uri(server, "api/v1/query?query=" + Uri.EscapeDataString(query));
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(within);
        HttpRequestException? lastFailure = null;
        var attempts = 0;
        var retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            UseJitter = true,
            OnRetry = args =>
            {
                host.Verbose($"Prometheus at {server.Authority} did not answer ({args.Outcome.Exception?.Message}); trying again in {args.RetryDelay.TotalMilliseconds:0} ms.");
                return ValueTask.CompletedTask;
            },
        }).Build();

        try
        {
            return await retry.ExecuteAsync(async token =>
            {
                attempts++;
                try
                {
                    using var response = await client.GetAsync(url, token).ConfigureAwait(false);
                    var body = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
                    host.Verbose($"GET {server}api/v1/query ({query}) -> {(int)response.StatusCode}");
                    return Interpret(response.StatusCode, body, query, server);
                }
                catch (HttpRequestException e)
                {
                    lastFailure = e;
                    throw;
                }
            }, budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var why = lastFailure is null
                ? $"Prometheus at {server.Authority} did not answer within {within.TotalSeconds:0.#} s"
                : $"Prometheus unreachable: {HttpClients.Describe(lastFailure, server)} ({attempts} attempts in {within.TotalSeconds:0.#} s)";
            return new PrometheusReading(DateTimeOffset.UtcNow, null, why);
        }
    }

    private static PrometheusReading Interpret(HttpStatusCode status, string body, string query, Uri server)
    {
        var now = DateTimeOffset.UtcNow;
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return new PrometheusReading(now, null, $"Prometheus at {server.Authority} answered HTTP {(int)status} without its JSON; is the URL a Prometheus server?");
        }

        if (!Text(root, "status").Equals("success", StringComparison.Ordinal))
        {
            var (type, error) = (Text(root, "errorType"), Text(root, "error"));
            if (type == "bad_data")
            {
                throw new DeployException(QueryInvalid, DeployErrorCategory.InvalidArgument,
                    $"Prometheus rejected the query: {error}. The query was: {query}. Fix prometheus.errorRateQuery / serviceErrorRateQuery in skdeploy.yml or the -Query you passed, and try it at {server}graph first.",
                    query);
            }

            return new PrometheusReading(now, null, $"Prometheus error ({type}, HTTP {(int)status}): {error}");
        }

        var data = root.GetProperty("data");
        return Text(data, "resultType") switch
        {
            "scalar" => Reading(data.GetProperty("result")),
            "vector" => Vector(data.GetProperty("result"), now),
            var other => new PrometheusReading(now, null, $"the query gives a {other}, not a number; make it an instant vector or scalar"),
        };
    }

    // Several series (a query by label): the worst one decides.
    private static PrometheusReading Vector(JsonElement result, DateTimeOffset now)
    {
        if (result.GetArrayLength() == 0)
        {
            return new PrometheusReading(now, null, "the query returned no data (an empty vector): the series do not exist yet, or the labels do not match");
        }

        var readings = result.EnumerateArray().Select(series => Reading(series.GetProperty("value"))).ToList();
        return readings.Where(r => r.Value is not null).MaxBy(r => r.Value) ?? readings[0];
    }

    private static PrometheusReading Reading(JsonElement pair)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds((long)(pair[0].GetDouble() * 1000));
        var text = pair[1].GetString() ?? "NaN";
        // Prometheus writes infinities as +Inf and -Inf, which .NET does not parse.
        var value = text switch
        {
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN,
        };
        return double.IsNaN(value) ? new PrometheusReading(at, null, "the query returned NaN: zero traffic in the window (errors / requests is 0 / 0)")
            : double.IsInfinity(value) ? new PrometheusReading(at, null, $"the query returned {text}: errors with no requests; check the query's denominator")
            : new PrometheusReading(at, value, null);
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
}
