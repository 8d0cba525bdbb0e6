using System.Text.RegularExpressions;

namespace Skillancer.Deploy.Sandbox.Faults;

/// <summary>
/// One injected fault: which requests it hits (method and path glob, where <c>*</c> is one segment and
/// <c>**</c> any), how often (a deterministic fraction: rate 0.5 hits every second request), how many times
/// at most, and what it does: answer an error status (with Retry-After), add latency, drop the
/// connection half-way through the response, or close a watch after a number of events.
/// </summary>
internal sealed record FaultRule
{
    public string? Id { get; init; }

    /// <summary>The HTTP method to match, or null for any.</summary>
    public string? Method { get; init; }

    /// <summary>The path glob to match, e.g. <c>/apis/apps/v1/namespaces/*/deployments/**</c>.</summary>
    public string Path { get; init; } = "/**";

    /// <summary>The fraction of matching requests that the fault hits, 0 to 1.</summary>
    public double Rate { get; init; } = 1;

    /// <summary>How many requests it hits before it expires; null for no limit.</summary>
    public int? Times { get; init; }

    /// <summary>The status to answer instead of serving the request (500, 503, 429, ...).</summary>
    public int? Status { get; init; }

    /// <summary>The Retry-After seconds sent with the status.</summary>
    public int? RetryAfter { get; init; }

    /// <summary>Milliseconds to wait before serving the request.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Send half of the response and then drop the connection.</summary>
    public bool Drop { get; init; }

    /// <summary>Close a watch after this many events.</summary>
    public int? WatchEvents { get; init; }

    public bool Matches(HttpRequest request) =>
        (Method is null || string.Equals(Method, request.Method, StringComparison.OrdinalIgnoreCase))
        && Regex.IsMatch(request.Path.Value ?? "/", Glob(Path), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>A problem with the rule, or null when it is usable.</summary>
    public string? Problem() =>
        Rate is < 0 or > 1 ? "rate must be between 0 and 1"
        : Status is < 400 or > 599 ? "status must be a 4xx or 5xx code"
        : Status is null && LatencyMs <= 0 && !Drop && WatchEvents is null ? "a rule needs status, latencyMs, drop or watchEvents"
        : !Path.StartsWith('/') ? "path must start with '/'"
        : null;

    private static string Glob(string glob) =>
        "^" + Regex.Escape(glob).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$";
}
