using System.Globalization;
using Skillancer.Deploy.Engine.Primitives;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>
/// Reads <c>skdeploy.yml</c> into a validated <see cref="DeployConfig"/>. Every error gives
/// file:line:column and the key; unknown keys become warnings.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads and validates the configuration file at <paramref name="path"/>.</summary>
    public static DeployConfig Load(string path)
    {
        path = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeployException(ConfigErrors.NotFound, DeployErrorCategory.ObjectNotFound,
                Sentences.Join($"The configuration file '{path}' cannot be read: {e.Message}", "Check the path and its permissions."), path, e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses configuration text; <paramref name="path"/> is used for locations and relative paths.</summary>
    public static DeployConfig Parse(string text, string path)
    {
        var root = ParseYaml(text, path);
        var warnings = new List<ConfigWarning>();
        var defaults = root.Map("defaults");
        var environments = root.NamedMaps("environments", fallback: defaults)
            .Select(entry => ReadEnvironment(entry.Name, entry.Map, path))
            .ToList();
        if (environments.Count == 0)
        {
            throw root.Missing("environments", "at least one environment, e.g. 'environments: { staging: { ... } }'");
        }

        var schedule = ScheduleReader.Read(root.Map("schedule"));
        root.CollectUnknownKeys(warnings);
        return new DeployConfig(path, environments, schedule, warnings);
    }

    private static YamlMap ParseYaml(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw SyntaxError(new ConfigLocation(path, e.Start.Line, e.Start.Column, "(document)"), InnerMost(e).Message, e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner reports some unterminated constructs (an unclosed '[') this way, without a position.
            var lines = text.Split('\n');
            throw SyntaxError(new ConfigLocation(path, lines.Length, lines[^1].Length + 1, "(document)"), "it ends inside an unclosed '[', '{' or quote.", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            throw new DeployException(ConfigErrors.Invalid, DeployErrorCategory.InvalidData,
                $"{path}:1:1: the file is empty. Write a starter configuration into it with New-SkConfiguration -Path '{path}' -Force.{ShippedExample.Sentence}", path);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode rootNode)
        {
            throw new DeployException(ConfigErrors.Invalid, DeployErrorCategory.InvalidData,
                $"{path}:1:1: the file must be a YAML mapping with an 'environments' section. New-SkConfiguration writes a starter one.{ShippedExample.Sentence}", path);
        }

        return new YamlMap(path, string.Empty, rootNode);
    }

    private static DeployException SyntaxError(ConfigLocation location, string problem, Exception inner) =>
        new(ConfigErrors.Syntax, DeployErrorCategory.ParserError,
            Sentences.Join($"{location.File}:{location.Line}:{location.Column}: the file is not valid YAML: {problem}",
                "Fix the YAML (check indentation, colons, brackets and quotes) and run the command again."), location, inner);

    /// <summary>
    /// A file of expected flags (Test-SkPreflight -FlagsFile), shaped as featureFlags.expected:
    /// <c>new_dashboard: { enabled: false }</c>, one flag per key. ConfigNotFound, ConfigSyntaxError or ConfigInvalid.
    /// </summary>
    public static IReadOnlyDictionary<string, ExpectedFlag> LoadExpectedFlags(string path)
    {
        if (!File.Exists(path))
        {
            throw new DeployException(ConfigErrors.NotFound, DeployErrorCategory.ObjectNotFound,
                $"The flags file {path} does not exist. Pass the path of a YAML file of expected flags (new_dashboard: {{ enabled: false }}), or leave out -FlagsFile to use featureFlags.expected.", path);
        }

        return ReadExpectedFlags(ParseYaml(File.ReadAllText(path), path).Entries());
    }

    private static Dictionary<string, ExpectedFlag> ReadExpectedFlags(IReadOnlyList<(string Name, YamlMap Map)> flags) =>
        flags.ToDictionary(f => f.Name, f => new ExpectedFlag(f.Map.Bool("enabled"), f.Map.Int("rolloutPercentage", 0, 100)), StringComparer.Ordinal);

    // ci: the CI provider (GitHub) and the repository whose commits it checks; the API is github.com's unless url says otherwise.
    private static CiSettings? ReadCi(YamlMap? map)
    {
        if (map is null)
        {
            return null;
        }

        if (map.Scalar("provider") is { } provider && !provider.Text.Equals("github", StringComparison.OrdinalIgnoreCase))
        {
            throw provider.Invalid(ConfigErrors.Invalid, $"'{provider.Text}' is not a CI provider the module asks.", "github (or leave ci out, and the CI item is not checked)");
        }

        var repository = map.Scalar("repository") ?? throw map.Missing("repository", "the GitHub repository, owner/name");
        var parts = repository.Text.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace)))
        {
            throw repository.Invalid(ConfigErrors.Invalid, $"'{repository.Text}' is not a GitHub repository.", "owner/name, e.g. skillancer/skillancer");
        }

        return new CiSettings(
            parts[0],
            parts[1],
            map.RequiredString("tokenEnv", "the name of an environment variable, e.g. GITHUB_TOKEN"),
            map.Url("url"),
            map.Scalars("requiredChecks").Select(c => c.Text).ToList());
    }

    // onCall: the on-call provider (PagerDuty) and schedule; the API base defaults to PagerDuty's.
    private static OnCallSettings? ReadOnCall(YamlMap? map)
    {
        if (map is null)
        {
            return null;
        }

        if (map.Scalar("provider") is { } provider && !provider.Text.Equals("pagerduty", StringComparison.OrdinalIgnoreCase))
        {
            throw provider.Invalid(ConfigErrors.Invalid, $"'{provider.Text}' is not an on-call provider the module asks.", "pagerduty (or leave onCall out, and attest the on-call engineer with -Attest OnCall)");
        }

        var url = map.Url("url") ?? OnCallSettings.PagerDuty;
        return new OnCallSettings(
            map.RequiredString("scheduleId", "the PagerDuty schedule's id, e.g. P123ABC"),
            map.RequiredString("tokenEnv", "the name of an environment variable, e.g. PAGERDUTY_TOKEN"),
            url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/"));
    }

    // approval: who may approve, how many must, for how long; requireApproval: true alone means the defaults.
    private static ApprovalSettings ReadApproval(YamlMap? map)
    {
        if (map is null)
        {
            return ApprovalSettings.Default;
        }

        var approvers = map.Scalars("approvers");
        foreach (var entry in approvers)
        {
            var (prefix, name) = entry.Text.IndexOf(':') is > 0 and var colon ? (entry.Text[..colon], entry.Text[(colon + 1)..]) : ("", "");
            if (prefix is not ("user" or "group") || name.Trim().Length == 0)
            {
                throw entry.Invalid(ConfigErrors.Invalid, $"'{entry.Text}' is not an approver.", "user:<name> or group:<name>, as the cluster authenticates them, e.g. group:eng-leads");
            }
        }

        var validFor = map.Duration("validFor") ?? ApprovalSettings.Default.ValidFor;
        if (validFor <= TimeSpan.Zero)
        {
            throw ConfigErrors.At(map.Location with { Key = $"{map.Path}.validFor" }, ConfigErrors.Invalid, "approval.validFor must be longer than zero.", "a duration such as 8h");
        }

        return new ApprovalSettings(
            approvers.Select(a => a.Text).ToList(),
            map.Int("required", 1, 10) ?? ApprovalSettings.Default.Required,
            validFor,
            map.Bool("allowSelfApproval") ?? ApprovalSettings.Default.AllowSelfApproval);
    }

    // lock.leaseDuration and journal.keep, usually under defaults; the lease is counted in whole seconds.
    private static StateSettings ReadState(YamlMap map)
    {
        var lockMap = map.Map("lock");
        var lease = lockMap?.Duration("leaseDuration");
        if (lease is { } given && (given < TimeSpan.FromSeconds(1) || given.Ticks % TimeSpan.TicksPerSecond != 0))
        {
            throw ConfigErrors.At(lockMap!.Location with { Key = $"{lockMap.Path}.leaseDuration" }, ConfigErrors.Invalid,
                $"lock.leaseDuration {given.TotalSeconds}s is not a whole number of seconds of at least 1s.", "a duration in whole seconds, such as 60s");
        }

        return new StateSettings(
            lease ?? StateSettings.Default.LeaseDuration,
            map.Map("journal")?.Int("keep", 1, 10_000) ?? StateSettings.Default.JournalKeep);
    }

    private static EnvironmentConfig ReadEnvironment(string name, YamlMap map, string path)
    {
        // registry: the image prefix (a value, usually under defaults), or, per environment, the registry's API (a section).
        var registryApi = map.OwnSection("registry");
        var registry = (registryApi is null ? map.String("registry") : map.InheritedString("registry")) ?? "skillancer";
        var kubernetes = map.Map("kubernetes");
        var services = map.Maps("services").Select(s => ReadService(s, name)).ToList();
        var duplicate = services.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw ConfigErrors.At(map.Location with { Key = $"{map.Path}.services" }, ConfigErrors.Invalid,
                $"The service '{duplicate.Key}' is listed more than once.", "each service name once per environment");
        }

        return new EnvironmentConfig
        {
            Name = name,
            ConfigPath = path,
            Url = map.Url("url"),
            RequireApproval = map.Bool("requireApproval") ?? map.Has("approval"),
            Approval = ReadApproval(map.Map("approval")),
            PromotesFrom = map.String("promotesFrom"),
            Ci = ReadCi(map.Map("ci")),
            OnCall = ReadOnCall(map.Map("onCall")),
            Preflight = map.Map("preflight") is { } preflight
                ? new PreflightSettings(
                    preflight.Duration("noticeWithin") ?? PreflightSettings.Default.NoticeWithin,
                    preflight.Scalars("attest").Select(a => a.Text).ToList())
                : PreflightSettings.Default,
            EnforceSchedule = map.Bool("enforceSchedule") ?? true,
            EmergencyMonitorFactor = map.Map("emergency")?.Int("monitorFactor", 1, 10) ?? 2,
            Registry = registry,
            RegistryApi = registryApi is null
                ? null
                : new RegistrySettings(registryApi.RequiredUrl("url"), registryApi.String("usernameEnv"), registryApi.String("passwordEnv")),
            Services = services.OrderBy(s => s.Tier).ToList(),
            Thresholds = ReadThresholds(map.Map("thresholds")),
            Monitor = new MonitorSettings(
                map.Map("monitor")?.Duration("duration") ?? MonitorSettings.Runbook.Duration,
                map.Map("monitor")?.Duration("interval") ?? MonitorSettings.Runbook.Interval),
            Kubernetes = new KubernetesSettings(
                kubernetes?.FilePath("kubeconfig"),
                kubernetes?.String("context"),
                kubernetes?.String("namespace") ?? name)
            {
                RolloutTimeout = kubernetes?.Duration("rolloutTimeout") ?? TimeSpan.FromMinutes(10),
                Configured = kubernetes is not null,
            },
            Database = map.Map("database") is { } db
                ? new DatabaseSettings(
                    db.RequiredString("connectionStringEnv", "the name of an environment variable, e.g. DATABASE_URL"),
                    db.FilePath("migrations"), db.FilePath("rollbackScripts"), db.Scalars("largeTables").Select(s => s.Text).ToList())
                : null,
            Prometheus = map.Map("prometheus") is { } prom
                ? new PrometheusSettings(prom.RequiredUrl("url"),
                    prom.String("errorRateQuery") ?? PrometheusSettings.DefaultErrorRateQuery,
                    prom.String("serviceErrorRateQuery") ?? PrometheusSettings.DefaultServiceErrorRateQuery)
                {
                    TrackErrorRateQuery = prom.String("trackErrorRateQuery") ?? PrometheusSettings.DefaultTrackErrorRateQuery,
                    LatencyQuery = prom.String("latencyQuery") ?? PrometheusSettings.DefaultLatencyQuery,
                    TrackRequestsQuery = prom.String("trackRequestsQuery") ?? PrometheusSettings.DefaultTrackRequestsQuery,
                    RequiredAlerts = prom.Scalars("requiredAlerts").Select(a => a.Text).ToList(),
                }
                : null,
            FeatureFlags = map.Map("featureFlags") is { } flags
                ? new FeatureFlagSettings(flags.RequiredUrl("url"), flags.RequiredString("tokenEnv", "the name of an environment variable, e.g. ADMIN_TOKEN"))
                {
                    Expected = ReadExpectedFlags(flags.NamedMaps("expected")),
                }
                : null,
            Cdn = map.Map("cdn") is { } cdn
                ? new CdnSettings(cdn.RequiredString("distributionId", "a CloudFront distribution id, e.g. E2EXAMPLE"), cdn.Url("endpoint"), cdn.String("profile"), cdn.FilePath("credentialsFile"))
                {
                    DedupeWindow = cdn.Duration("dedupeWindow") ?? CdnSettings.DefaultDedupeWindow,
                }
                : null,
            Smoke = map.Maps("smoke").Where(m => !m.Has("command")).Select(ReadSmokeCheck).ToList(),
            SmokeSuites = map.Maps("smoke").Where(m => m.Has("command"))
                .Select(m => new SmokeSuite(m.RequiredString("name", "a short description, e.g. Production smoke suite"), m.RequiredString("command", "a command line, e.g. pnpm test:smoke:production")))
                .ToList(),
            State = ReadState(map),
            Notifications = map.Map("notifications") is { } notify
                ? new NotificationSettings(notify.RequiredString("webhookUrlEnv", "the name of an environment variable, e.g. SLACK_WEBHOOK_URL"))
                {
                    EmergencyWebhookUrlEnv = notify.Map("emergency")?.RequiredString("webhookUrlEnv", "the name of an environment variable, e.g. ONCALL_WEBHOOK_URL"),
                }
                : null,
        };
    }

    private static ServiceConfig ReadService(YamlMap map, string environment)
    {
        var name = map.RequiredString("name", "the service's name, e.g. api-gateway");
        var tierScalar = map.Scalar("tier") ?? throw map.Missing("tier", "one of shared, backend, gateway, frontend");
        if (!Enum.TryParse<ServiceTier>(tierScalar.Text, ignoreCase: true, out var tier) || !Enum.IsDefined(tier) || int.TryParse(tierScalar.Text, out _))
        {
            throw tierScalar.Invalid(ConfigErrors.InvalidTier, $"'{tierScalar.Text}' is not a tier.", "one of shared, backend, gateway, frontend (the runbook's deployment order)");
        }

        return new ServiceConfig
        {
            Name = name,
            Environment = environment,
            DisplayName = map.String("displayName") ?? name,
            Tier = tier,
            Deployment = map.String("deployment") ?? name,
            Container = map.String("container") ?? name,
            Image = map.String("image") ?? name,
            Health = map.Url("health"),
            HealthTokenEnv = map.String("healthTokenEnv"),
            Canary = CanaryReader.Read(map.Map("canary")),
        };
    }

    private static ErrorRateThresholds ReadThresholds(YamlMap? map)
    {
        var runbook = ErrorRateThresholds.Runbook;
        if (map is null) return runbook;
        var thresholds = new ErrorRateThresholds(
            map.Fraction("investigate") ?? runbook.Investigate,
            map.Fraction("considerRollback") ?? runbook.ConsiderRollback,
            map.Fraction("immediateRollback") ?? runbook.ImmediateRollback);
        if (thresholds.Investigate > thresholds.ConsiderRollback || thresholds.ConsiderRollback > thresholds.ImmediateRollback)
        {
            throw ConfigErrors.At(map.Location, ConfigErrors.Invalid,
                string.Create(CultureInfo.InvariantCulture, $"The thresholds are out of order ({thresholds.Investigate}, {thresholds.ConsiderRollback}, {thresholds.ImmediateRollback})."),
                "investigate <= considerRollback <= immediateRollback");
        }

        return thresholds;
    }

    private static SmokeCheck ReadSmokeCheck(YamlMap map)
    {
        var name = map.RequiredString("name", "a short description, e.g. Homepage loads");
        var request = map.Scalar("request") ?? throw map.Missing("request", "a method and a path, e.g. GET /api/jobs");
        var parts = request.Text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts[1].StartsWith('/') || !parts[0].All(char.IsAsciiLetterUpper))
        {
            throw request.Invalid(ConfigErrors.Invalid, $"'{request.Text}' is not a request.", "an upper-case method and a path, e.g. GET /api/jobs");
        }

        var body = map.Json("body");
        return new SmokeCheck(name, parts[0], parts[1], map.Int("expectStatus", 100, 599) ?? 200)
        {
            Headers = map.Pairs("headers").Select(h => h.Key.EndsWith("Env", StringComparison.Ordinal) && h.Key.Length > 3
                ? new SmokeHeader(h.Key[..^3], null, h.Value.Text)
                : new SmokeHeader(h.Key, h.Value.Text, null)).ToList(),
            Body = body is not null && body.StartsWith('"') ? map.String("body") : body,
            BodyIsJson = body is not null && !body.StartsWith('"'),
            ExpectBodyContains = map.Scalars("expectBodyContains").Select(s => s.Text).ToList(),
            ExpectJson = map.Pairs("expectJson").Select(p => KeyValuePair.Create(p.Key, p.Value.Text)).ToList(),
            Timeout = map.Duration("timeout") ?? SmokeCheck.DefaultTimeout,
        };
    }

    private static Exception InnerMost(Exception e) => e.InnerException is null ? e : InnerMost(e.InnerException);
}
