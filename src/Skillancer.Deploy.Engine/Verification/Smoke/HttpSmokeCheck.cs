using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification.Smoke;

/// <summary>
/// One configured smoke check: sends its request to the environment's URL with its headers and body,
/// and compares the answer with what it expects (status, text in the body, values in the JSON).
/// </summary>
public static class HttpSmokeCheck
{
    /// <summary>The check's URL: its path appended to the environment's URL.</summary>
    public static Uri Url(Uri baseUrl, SmokeCheck check) => new(baseUrl.ToString().TrimEnd('/') + check.Path);

    /// <summary>Reads the check's secret headers from their variables (SecretNotSet when one is missing).</summary>
    public static IReadOnlyList<(string Name, Secret Value)> Secrets(SmokeCheck check) =>
        check.Headers.Where(h => h.ValueEnv is not null)
            .Select(h => (h.Name, SecretSource.FromEnvironment(h.ValueEnv!, $"smoke '{check.Name}' headers.{h.Name}Env")))
            .ToList();

    /// <summary>Runs the check; a failure is a result, never an exception (except cancellation).</summary>
    public static async Task<SmokeResult> RunAsync(
        HttpClient client, EnvironmentConfig environment, SmokeCheck check, IReadOnlyList<(string Name, Secret Value)> secrets,
        OperationHost host, CancellationToken cancellationToken)
    {
        var url = Url(environment.Url!, check);
        using var request = new HttpRequestMessage(new HttpMethod(check.Method), url);
        foreach (var header in check.Headers.Where(h => h.Value is not null))
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        foreach (var (name, value) in secrets)
        {
            request.Headers.TryAddWithoutValidation(name, value.Reveal());
        }

        if (check.Body is not null)
        {
            request.Content = new StringContent(check.Body, Encoding.UTF8, check.BodyIsJson ? "application/json" : "text/plain");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(check.Timeout);
        var stopwatch = Stopwatch.StartNew();
        string detail;
        var passed = false;
        try
        {
            using var response = await client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            var problems = Problems(check, (int)response.StatusCode, body);
            passed = problems.Count == 0;
            var summary = string.Create(CultureInfo.InvariantCulture, $"{(int)response.StatusCode} in {stopwatch.Elapsed.TotalMilliseconds:0} ms");
            detail = passed ? summary : $"{summary}: {string.Join("; ", problems)}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            detail = string.Create(CultureInfo.InvariantCulture, $"no answer within {check.Timeout.TotalSeconds:0.###} s (timeout)");
        }
        catch (HttpRequestException e)
        {
            detail = HttpClients.Describe(e, url);
        }

        host.Verbose($"{check.Method} {url} ({check.Name}): {detail}");
        return new SmokeResult
        {
            Environment = environment.Name,
            Name = check.Name,
            Kind = SmokeKind.Http,
            Outcome = passed ? SmokeOutcome.Passed : SmokeOutcome.Failed,
            Duration = stopwatch.Elapsed,
            Detail = Secret.Redact(detail),
        };
    }

    private static List<string> Problems(SmokeCheck check, int status, string body)
    {
        var problems = new List<string>();
        if (status != check.ExpectStatus)
        {
            problems.Add($"expected status {check.ExpectStatus}, got {status}{Excerpt(body)}");
        }

        problems.AddRange(check.ExpectBodyContains.Where(text => !body.Contains(text, StringComparison.Ordinal)).Select(text => $"the body does not contain '{text}'"));
        if (check.ExpectJson.Count == 0)
        {
            return problems;
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            problems.Add($"expected JSON, got{Excerpt(body)}");
            return problems;
        }

        foreach (var (path, expected) in check.ExpectJson)
        {
            if (!JsonPath.TryRead(json, path, out var actual))
            {
                problems.Add($"the JSON has no '{path}'");
            }
            else if (!string.Equals(actual, expected, StringComparison.Ordinal))
            {
                problems.Add($"{path} is '{actual}', expected '{expected}'");
            }
        }

        return problems;
    }

    private static string Excerpt(string body)
    {
        var text = body.ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? string.Empty : $" ({(text.Length > 160 ? text[..160] + "…" : text)})";
    }
}
