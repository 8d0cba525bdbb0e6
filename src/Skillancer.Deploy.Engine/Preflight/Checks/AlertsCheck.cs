using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>
/// "Monitoring alerts configured": Prometheus' /api/v1/rules holds the alerting rules named in prometheus.requiredAlerts
/// (by default: a rule on each service's error metric). A rule that fires now is a Warning.
/// </summary>
public sealed partial class AlertsCheck : PreflightCheck
{
    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.Alerts;

    /// <inheritdoc/>
    public override string Checklist => "Monitoring alerts configured";

    /// <inheritdoc/>
    public override async Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        if (environment.Prometheus is not { } prometheus)
        {
            return PreflightVerdict.NotConfigured($"{environment.Name} has no prometheus section: nothing says where its alerts live.");
        }

        var rules = await ReadAlertRulesAsync(prometheus.Url, cancellationToken).ConfigureAwait(false);
        var missing = prometheus.RequiredAlerts.Count > 0
            ? prometheus.RequiredAlerts.Where(name => rules.All(r => r.Name != name)).Select(name => $"no alerting rule named {name}").ToList()
            : ErrorMetrics(context).Where(metric => rules.All(r => !r.Query.Contains(metric, StringComparison.Ordinal))).Select(metric => $"no alerting rule on {metric}").ToList();
        var what = prometheus.RequiredAlerts.Count > 0 ? $"the {prometheus.RequiredAlerts.Count} required alert(s) ({string.Join(", ", prometheus.RequiredAlerts)})" : "an alert on every service's error metric";
        if (missing.Count > 0)
        {
            return PreflightVerdict.Failed(
                $"Prometheus at {prometheus.Url.Authority} lacks {what}: {string.Join("; ", missing)}. Add the rules to its rule files and reload it; until then a broken release alerts nobody.",
                $"{rules.Count} alerting rules");
        }

        var firing = rules.Where(r => r.State == "firing").Select(r => r.Name).Distinct().ToList();
        return firing.Count > 0
            ? new PreflightVerdict(PreflightStatus.Warning,
                $"Prometheus holds {what}, but {string.Join(", ", firing)} {(firing.Count == 1 ? "is" : "are")} firing now: deploying into an open alert deserves a second look.",
                $"{firing.Count} firing")
            : PreflightVerdict.Passed($"Prometheus at {prometheus.Url.Authority} holds {what}, and none fires.", $"{rules.Count} alerting rules");
    }

    private static async Task<IReadOnlyList<(string Name, string Query, string State)>> ReadAlertRulesAsync(Uri server, CancellationToken cancellationToken)
    {
        using var client = HttpClients.Create(TimeSpan.FromSeconds(10), skipCertificateCheck: false);
        var url = new Uri(server, "api/v1/rules?type=alert");
        string body;
        try
        {
            using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }
        catch (HttpRequestException e)
        {
            throw new DeployException("PrometheusUnavailable", DeployErrorCategory.ConnectionError,
                $"Prometheus at {server.Authority} did not answer {url.AbsolutePath} ({e.Message}). Check prometheus.url, and that it runs.", server, e);
        }

        var groups = JsonNode.Parse(body)?["data"]?["groups"]?.AsArray() ?? [];
        return groups
            .SelectMany(g => g?["rules"]?.AsArray() ?? [])
            .Where(r => r?["type"]?.GetValue<string>() == "alerting")
            .Select(r => (r!["name"]?.GetValue<string>() ?? "", r["query"]?.GetValue<string>() ?? "", r["state"]?.GetValue<string>() ?? ""))
            .ToList();
    }

    // The error metric of each service: the first metric its error-rate query reads, e.g. http_errors_total.
    private static IEnumerable<string> ErrorMetrics(PreflightContext context) =>
        context.Environment.Services
            .Select(s => MetricName().Match(ErrorRateQueries.For(context.Environment, s, null)))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"\b(?!(?:sum|rate|irate|increase|avg|max|min|count|by|without|on|ignoring)\b)([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[\{\[]")]
    private static partial Regex MetricName();
}
