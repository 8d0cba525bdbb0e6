using System.Globalization;
using System.Text;

namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>
/// Writes a starter skdeploy.yml: the variables to set first, the runbook's defaults, each environment
/// with every section the module reads (each <c>*Env</c> key naming its variable), and the runbook's
/// schedule. Every line says what it is for; every guess ends in "# check".
/// </summary>
internal sealed class StarterYaml
{
    private const int CommentColumn = 35;
    private readonly StringBuilder _text = new();

    public static string Render(IReadOnlyList<StarterEnvironment> environments, IReadOnlyList<string> source)
    {
        var yaml = new StarterYaml();
        yaml.Header(environments, source);
        yaml.Defaults(fromCluster: environments.Any(e => e.Registry is not null));
        yaml.Line(0, "environments:");
        foreach (var environment in environments)
        {
            yaml.Environment(environment);
        }

        yaml.Schedule();
        return yaml._text.ToString();
    }

    private void Header(IReadOnlyList<StarterEnvironment> environments, IReadOnlyList<string> source)
    {
        Comment(0, "skdeploy.yml: Skillancer's environments for Skillancer.Deploy, written by New-SkConfiguration.");
        Comment(0, "Values marked \"# check\" are guesses: confirm them before the first deployment.");
        Comment(0, "Get-SkEnvironment shows what the module reads; README.md, \"Configuration reference\", has every key.");
        foreach (var line in source)
        {
            Comment(0, line);
        }

        Comment(0, "");
        Comment(0, "Secrets never go in this file. Each key ending in \"Env\" names the environment variable that holds");
        Comment(0, "one; set them (in your shell, CI or secret store) before the cmdlets that need them run:");
        var variables = environments
            .SelectMany(e => new[]
            {
                (e.Variables.ConnectionString, "'postgresql://user:password@host:5432/skillancer'", $"{e.Name}: database.connectionStringEnv (migrations)"),
                (e.Variables.AdminToken, "'<admin token>'", $"{e.Name}: featureFlags.tokenEnv (Set-/Get-SkFeatureFlag)"),
                (e.Variables.SmokeAuthorization, "'Bearer <a test user''s token>'", $"{e.Name}: smoke check \"User can log in\""),
                (e.Variables.WebhookUrl, "'https://hooks.slack.com/services/...'", "notifications.webhookUrlEnv (Send-SkNotification)"),
            })
            .DistinctBy(v => v.Item1)
            .ToList();
        var width = variables.Max(v => $"$env:{v.Item1} = {v.Item2}".Length);
        foreach (var (name, value, use) in variables)
        {
            Comment(0, $"  {$"$env:{name} = {value}".PadRight(width)}  # {use}");
        }

        Comment(0, "The cluster's credentials come from the kubeconfig, CloudFront's from the AWS SDK's chain (or cdn.profile).");
        _text.AppendLine();
    }

    private void Defaults(bool fromCluster)
    {
        Line(0, "defaults:", "merged under every environment; an environment's own keys win");
        if (!fromCluster)
        {
            Line(2, "registry: skillancer", "image = {registry}/{service.image or service.name}:{version}");
        }

        Line(2, "thresholds:", "the runbook's alert thresholds, as fractions");
        Line(4, "investigate: 0.01", "above 1%: investigate");
        Line(4, "considerRollback: 0.05", "above 5%: consider rollback");
        Line(4, "immediateRollback: 0.10", "above 10%: immediate rollback");
        Line(2, "monitor:", "the runbook's watch after a deployment");
        Line(4, "duration: 30m", "watch for 30 minutes");
        Line(4, "interval: 5s", "a sample every 5 seconds");
        _text.AppendLine();
    }

    private void Environment(StarterEnvironment environment)
    {
        var variables = environment.Variables;
        Line(2, $"{environment.Name}:");
        Line(4, $"url: {Scalar(environment.Url)}", environment.UrlNote ?? "smoke checks are relative to it");
        Line(4, $"requireApproval: {Bool(environment.Production)}", environment.Production
            ? "every change asks first; scripts pass -Confirm:$false"
            : "changes go ahead without asking (-Confirm asks)");
        Line(4, $"enforceSchedule: {Bool(environment.Production)}", environment.Production
            ? "the schedule below applies here"
            : "deploys at any time; the schedule guards production");
        if (environment.Registry is not null)
        {
            Line(4, $"registry: {Scalar(environment.Registry)}", environment.RegistryNote);
        }

        Line(4, "kubernetes:");
        if (environment.Kubeconfig is not null)
        {
            Line(6, $"kubeconfig: {Scalar(environment.Kubeconfig)}");
        }
        else
        {
            Commented(6, "kubeconfig: ~/.kube/config", "default: $env:KUBECONFIG, then ~/.kube/config, then in-cluster");
        }

        if (environment.Context is not null)
        {
            Line(6, $"context: {Scalar(environment.Context)}", "the kubeconfig context it was read from");
        }
        else
        {
            Commented(6, $"context: {Scalar(environment.Name)}", "default: the kubeconfig's current context");
        }

        Line(6, $"namespace: {Scalar(environment.Namespace)}", environment.NamespaceNote);
        Commented(6, "rolloutTimeout: 10m", "how long Start-/Wait-SkRollout wait (default 10m)");
        Line(4, "services:", "tier decides the rollout order: shared, backend, gateway, frontend");
        for (var i = 0; i < environment.Services.Count; i++)
        {
            Service(environment.Services[i], variables, first: i == 0);
        }

        Line(4, "database:", "Prisma's migrations (Invoke-SkMigration and the others)");
        Line(6, $"connectionStringEnv: {variables.ConnectionString}", "the variable holding a postgresql:// URL or Npgsql keywords");
        Line(6, "migrations: prisma/migrations", "check: relative to this file");
        Line(6, "rollbackScripts: migrations/rollback", "<migration>.sql scripts for Undo-SkMigration");
        Commented(6, "largeTables: [Job]", "tables whose migrations must be scheduled separately");
        Line(4, "prometheus:", "error rates for Watch-SkErrorRate");
        Line(6, $"url: {Scalar(RunbookEnvironment.Url(environment.Name, "prometheus").Replace("https://", "http://", StringComparison.Ordinal).TrimEnd('/'))}:9090", "check: your Prometheus");
        Comment(6, "The default queries divide errors by requests over every series Prometheus has (README, \"Connect to");
        Comment(6, "real systems\", has the metrics). If one Prometheus serves several environments, filter by namespace:");
        Comment(6, $"errorRateQuery: '{NamespaceFiltered(PrometheusSettings.DefaultErrorRateQuery)}'");
        Comment(6, $"serviceErrorRateQuery: '{NamespaceFiltered(PrometheusSettings.DefaultServiceErrorRateQuery)}'");
        Line(4, "featureFlags:", "the runbook's feature-flag API");
        Line(6, $"url: {Scalar(RunbookEnvironment.Url(environment.Name, "api") + "internal/feature-flags")}");
        Line(6, $"tokenEnv: {variables.AdminToken}", "the variable holding its admin bearer token");
        Line(4, "cdn:", "CloudFront, for Clear-SkCdnCache");
        Line(6, $"distributionId: E2{environment.Name.ToUpperInvariant().Replace('-', '0').Replace('_', '0')}EXAMPLE", "check: your distribution's id");
        Commented(6, "profile: skillancer", "an AWS profile; default: the AWS SDK's credential chain");
        Line(4, "smoke:", "the runbook's smoke checklist; check: your app's paths");
        Line(6, "- name: Homepage loads");
        Line(8, "request: GET /");
        Line(8, "expectStatus: 200");
        Line(6, "- name: User can log in");
        Line(8, "request: GET /api/me");
        Line(8, "headers:");
        Line(10, $"AuthorizationEnv: {variables.SmokeAuthorization}", "the variable holding 'Bearer <token>'");
        Line(6, "- name: Job listing works");
        Line(8, "request: GET /api/jobs");
        Comment(6, "- name: Proposal submission works   # it creates a proposal: point it at a test job");
        Comment(6, "  request: POST /api/proposals");
        Comment(6, "  body: { jobId: 101, coverLetter: Smoke test proposal }");
        Comment(6, "  expectStatus: 201");
        Line(6, "- name: Payment flow accessible");
        Line(8, "request: GET /api/payments/checkout");
        Line(4, "notifications:", "deployment notices (Send-SkNotification)");
        Line(6, $"webhookUrlEnv: {variables.WebhookUrl}", "the variable holding the Slack incoming-webhook URL");
        _text.AppendLine();
    }

    private void Service(StarterService service, StarterVariables variables, bool first)
    {
        Line(6, $"- name: {Scalar(service.Name)}", first && service.Deployment is null ? "the deployment, container and image default to the name" : null);
        if (service.DisplayName is not null)
        {
            Line(8, $"displayName: {Scalar(service.DisplayName)}");
        }

        Line(8, $"tier: {service.Tier.ToString().ToLowerInvariant()}", service.TierNote);
        if (service.Deployment is not null)
        {
            Line(8, $"deployment: {Scalar(service.Deployment)}");
            Line(8, $"container: {Scalar(service.Container!)}", service.ContainerNote);
            Line(8, $"image: {Scalar(service.Image!)}", service.ImageNote);
        }

        if (service.Health is not null)
        {
            Line(8, $"health: {Scalar(service.Health)}", service.HealthNote);
        }
        else
        {
            Commented(8, $"health: https://<host>{service.ProbePath ?? "/health"}",
                $"check: {(service.ProbePath is null ? "its health endpoint" : "its readiness probe's path, at an address the module can reach")}");
        }

        if (first)
        {
            Commented(8, $"healthTokenEnv: {variables.HealthToken}", "the variable holding a bearer token, if /health needs one");
        }
        if (service.Canary is { } canary)
        {
            Line(8, "canary:", "Istio routing for Start-SkCanary");
            Line(10, $"virtualService: {Scalar(canary.VirtualService)}", canary.Note);
            Line(10, $"stableSubset: {Scalar(canary.StableSubset)}");
            Line(10, $"canarySubset: {Scalar(canary.CanarySubset)}");
        }
    }

    private void Schedule()
    {
        Line(0, "schedule:", "the runbook's \"Deployment Schedule\" (Test-SkDeploymentWindow)");
        Line(2, "timeZone: UTC");
        Line(2, "windows:", "the recommended windows");
        Line(4, "- { day: Tuesday,   start: \"14:00\", end: \"18:00\" }", "best for standard deploys");
        Line(4, "- { day: Wednesday, start: \"14:00\", end: \"18:00\" }", "good alternative");
        Line(4, "- { day: Thursday,  start: \"14:00\", end: \"16:00\" }", "early enough for a Friday fix");
        Line(2, "avoid:");
        Line(4, "days: [Friday, Monday]", "no weekend support; high traffic at the start of the week");
        Line(4, "holidays: { country: US }", "check: the country whose public holidays to avoid");
        Commented(4, "blackouts:", "marketing campaigns and freezes");
        Comment(4, "  - { name: Black Friday campaign, start: 2026-11-27T00:00:00Z, end: 2026-11-30T23:59:59Z }");
    }

    private void Line(int indent, string content, string? comment = null)
    {
        var text = new string(' ', indent) + content;
        if (comment is not null)
        {
            text = text.Length < CommentColumn ? text.PadRight(CommentColumn) + "# " + comment : text + "   # " + comment;
        }

        _text.Append(text).Append('\n');
    }

    // A key left out, written as a comment a user can uncomment: its own comment lines up with the others.
    private void Commented(int indent, string content, string comment) => Line(indent, "# " + content, comment);

    private void Comment(int indent, string text) =>
        _text.Append(new string(' ', indent)).Append(text.Length == 0 ? "#" : "# " + text).Append('\n');

    // The default queries with namespace="{namespace}" on every counter, as the sandbox's configuration has them.
    private static string NamespaceFiltered(string query) => query
        .Replace("_total{", "_total{namespace=\"{namespace}\",", StringComparison.Ordinal)
        .Replace("_total[", "_total{namespace=\"{namespace}\"}[", StringComparison.Ordinal);

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A value as a plain scalar when YAML reads it back as the same string, else single-quoted.</summary>
    internal static string Scalar(string value)
    {
        var plain = value.Length > 0
            && (char.IsAsciiLetterOrDigit(value[0]) || value[0] is '/' or '~' or '_' or '.')
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '@' or '+' or '~' or ' ')
            && !value.EndsWith(':') && !value.EndsWith(' ') && !value.Contains(": ", StringComparison.Ordinal)
            && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && value.ToLowerInvariant() is not ("true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~");
        return plain ? value : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
