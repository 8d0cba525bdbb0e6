using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Skillancer.Deploy.Engine.Primitives;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>What one instant query gave: a number, or why there is none.</summary>
/// <param name="At">When Prometheus evaluated the query (or when it was asked, if it did not answer).</param>
/// <param name="Value">The value; null when there is none.</param>
/// <param name="Unknown">Why there is no value; null when there is one.</param>
public sealed record PrometheusReading(DateTimeOffset At, double? Value, string? Unknown);

/// <summary>One point of a range query.</summary>
/// <param name="At">When Prometheus evaluated the query.</param>
/// <param name="Value">The value, a finite number.</param>
public sealed record PrometheusPoint(DateTimeOffset At, double Value);

/// <summary>What a range query gave: its finite points in time order, or why there are none.</summary>
/// <param name="Query">The PromQL asked.</param>
/// <param name="Points">The points; empty when there are none.</param>
/// <param name="Unknown">Why there are no points; null when there are some.</param>
public sealed record PrometheusSeries(string Query, IReadOnlyList<PrometheusPoint> Points, string? Unknown)
{
    /// <summary>The points' values.</summary>
    public IReadOnlyList<double> Values => [.. Points.Select(p => p.Value)];
}

/// <summary>
/// Instant and range queries against Prometheus' HTTP API (<c>GET /api/v1/query</c>, <c>/api/v1/query_range</c>). Every answer that is not
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
        var (data, unknown) = await AskAsync(client, server, url, query, within, host, cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        return data is not { } found ? new PrometheusReading(now, null, unknown)
            : Text(found, "resultType") switch
            {
                "scalar" => Reading(found.GetProperty("result")),
                "vector" => Vector(found.GetProperty("result"), now),
                var other => new PrometheusReading(now, null, $"the query gives a {other}, not a number; make it an instant vector or scalar"),
            };
    }

    /// <summary>
    /// Evaluates <paramref name="query"/> at every <paramref name="step"/> from <paramref name="start"/> to
    /// <paramref name="end"/> (<c>GET /api/v1/query_range</c>), trying for at most <paramref name="within"/>: the
    /// points that are finite numbers, in time order. With several series, the first one's.
    /// </summary>
    public static async Task<PrometheusSeries> ReadRangeAsync(
        HttpClient client, Uri server, string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, TimeSpan within, OperationHost host, CancellationToken cancellationToken)
    {
        var url = new Uri(server, string.Create(CultureInfo.InvariantCulture,
            $"api/v1/query_range?query={Uri.EscapeDataString(query)}&start={start.ToUnixTimeMilliseconds() / 1000.0}&end={end.ToUnixTimeMilliseconds() / 1000.0}&step={step.TotalSeconds}"));
        var (data, unknown) = await AskAsync(client, server, url, query, within, host, cancellationToken).ConfigureAwait(false);
        if (data is not { } found)
        {
            return new PrometheusSeries(query, [], unknown);
        }

        var result = found.GetProperty("result");
        if (Text(found, "resultType") != "matrix" || result.GetArrayLength() == 0)
        {
            return new PrometheusSeries(query, [], "the query returned no data in the window: the series do not exist yet, or the labels do not match");
        }

        var points = result[0].GetProperty("values").EnumerateArray()
            .Select(Reading)
            .Where(r => r.Value is not null)
            .Select(r => new PrometheusPoint(r.At, r.Value!.Value))
            .ToList();
        return new PrometheusSeries(query, points, points.Count == 0 ? "every point in the window was NaN: no traffic" : null);
    }

    /// <summary>How often Prometheus scrapes (its configuration's <c>global.scrape_interval</c>): one analysis sample per scrape. 1m, Prometheus' own default, when it does not say.</summary>
    public static async Task<TimeSpan> ScrapeIntervalAsync(HttpClient client, Uri server, TimeSpan within, OperationHost host, CancellationToken cancellationToken)
    {
        var fallback = TimeSpan.FromMinutes(1);
        var (data, unknown) = await AskAsync(client, server, new Uri(server, "api/v1/status/config"), "(its configuration)", within, host, cancellationToken).ConfigureAwait(false);
        if (data is not { } found || Text(found, "yaml") is not { Length: > 0 } yaml)
        {
            host.Verbose($"Prometheus did not give its configuration ({unknown ?? "no yaml"}); taking its default scrape interval, 1m.");
            return fallback;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            static YamlNode? Child(YamlNode? node, string key) =>
                node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
            var text = (Child(Child(stream.Documents[0].RootNode, "global"), "scrape_interval") as YamlScalarNode)?.Value;
            return DurationParser.TryParse(text, out var interval) && interval > TimeSpan.Zero ? interval : fallback;
        }
        catch (YamlException e)
        {
            host.Verbose($"Prometheus' configuration could not be read ({e.Message}); taking its default scrape interval, 1m.");
            return fallback;
        }
    }

    // One GET of the HTTP API, retried with backoff while Prometheus cannot be reached, for at most `within`: the
    // answer's data, or why there is none. A query Prometheus cannot parse is an error (asking again would not help).
    private static async Task<(JsonElement? Data, string? Unknown)> AskAsync(
        HttpClient client, Uri server, Uri url, string query, TimeSpan within, OperationHost host, CancellationToken cancellationToken)
    {
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
                    host.Verbose($"GET {server}{url.AbsolutePath.TrimStart('/')} ({query}) -> {(int)response.StatusCode}");
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
            return (null, why);
        }
    }

    private static (JsonElement? Data, string? Unknown) Interpret(HttpStatusCode status, string body, string query, Uri server)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return (null, $"Prometheus at {server.Authority} answered HTTP {(int)status} without its JSON; is the URL a Prometheus server?");
        }

        if (!Text(root, "status").Equals("success", StringComparison.Ordinal))
        {
            var (type, error) = (Text(root, "errorType"), Text(root, "error"));
            if (type == "bad_data")
            {
                throw new DeployException(QueryInvalid, DeployErrorCategory.InvalidArgument,
                    $"Prometheus rejected the query: {error}. The query was: {query}. Fix the query in skdeploy.yml's prometheus section or the -Query you passed, and try it at {server}graph first.",
                    query);
            }

            return (null, $"Prometheus error ({type}, HTTP {(int)status}): {error}");
        }

        return (root.GetProperty("data"), null);
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
