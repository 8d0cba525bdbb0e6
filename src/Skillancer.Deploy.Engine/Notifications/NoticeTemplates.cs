using System.Globalization;
using System.Text;

namespace Skillancer.Deploy.Engine.Notifications;

/// <summary>The runbook's message templates, filled in. The layout follows the runbook line for line.</summary>
public static class NoticeTemplates
{
    /// <summary>The runbook's Rollback Communication.</summary>
    public static Notice Rollback(string service, string fromVersion, string toVersion, string reason, DateTimeOffset time, string? environment = null) =>
        Build(NoticeKind.Rollback, "🔄", "Deployment Rollback",
            [("Service", service), ("From Version", fromVersion), ("To Version", toVersion), ("Reason", reason), ("Time", Stamp(time))],
            "Investigating root cause. Updates to follow.", environment);

    /// <summary>
    /// The runbook's Deployment Complete message; the key changes come from the changelog. With none,
    /// <paramref name="noChanges"/> says why (default "none recorded"). <paramref name="metrics"/>, when measured, makes
    /// "all dashboards normal" a measured line.
    /// </summary>
    public static Notice Complete(string version, DateTimeOffset time, string services, string status, IReadOnlyList<string> keyChanges,
        string? environment = null, string? noChanges = null, string? metrics = null)
    {
        var changes = keyChanges.Count == 0 ? $"Key changes: {noChanges ?? "none recorded."}" : "Key changes:\n" + string.Join("\n", keyChanges.Select(c => "- " + c));
        return Build(NoticeKind.Complete, "✅", "Deployment Complete",
            [("Version", version), ("Time", Stamp(time)), ("Services", services), ("Status", status), .. metrics is null ? [] : new[] { ("Metrics", metrics) }],
            changes + "\n\nNo user action required.", environment);
    }

    /// <summary>A deployment has begun.</summary>
    public static Notice Started(string version, string environment, string services, DateTimeOffset time) =>
        Build(NoticeKind.Started, "🚀", "Deployment Started",
            [("Version", version), ("Environment", environment), ("Services", services), ("Time", Stamp(time))],
            "Watching health checks and error rates. Updates to follow.", environment);

    /// <summary>A deployment outside the window, with the reason the runbook demands.</summary>
    public static Notice Emergency(string version, string environment, string reason, DateTimeOffset time) =>
        Build(NoticeKind.Emergency, "🚨", "Emergency Deployment",
            [("Version", version), ("Environment", environment), ("Reason", reason), ("Time", Stamp(time))],
            "Deploying outside the deployment window. The on-call engineer is watching; a post-mortem follows.", environment);

    /// <summary>"The services" for the Complete notice: "All services updated", or the list.</summary>
    public static string Services(IReadOnlyList<string> updated, int total) =>
        updated.Count == 0 || updated.Count == total ? "All services updated" : string.Join(", ", updated);

    /// <summary>"The status" for the Complete notice, from the health checks that ran.</summary>
    public static string HealthStatus(IReadOnlyList<(string Service, bool Healthy)> checks)
    {
        var failing = checks.Where(c => !c.Healthy).Select(c => c.Service).ToList();
        return checks.Count == 0 ? "Health checks not run"
            : failing.Count == 0 ? "All health checks passing"
            : $"{checks.Count - failing.Count} of {checks.Count} health checks passing ({string.Join(", ", failing)} failing)";
    }

    /// <summary>The runbook's [timestamp]: UTC, to the minute.</summary>
    public static string Stamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static Notice Build(NoticeKind kind, string icon, string title, (string Label, string Value)[] fields, string closing, string? environment)
    {
        var text = new StringBuilder($"{icon} **{title}**\n\n");
        foreach (var (label, value) in fields)
        {
            text.Append("**").Append(label).Append("**: ").Append(value).Append('\n');
        }

        text.Append('\n').Append(closing);
        return new Notice
        {
            Kind = kind,
            Title = $"{icon} {title}",
            Text = text.ToString(),
            Fields = fields.ToDictionary(f => f.Label, f => f.Value),
            Environment = environment,
        };
    }
}
