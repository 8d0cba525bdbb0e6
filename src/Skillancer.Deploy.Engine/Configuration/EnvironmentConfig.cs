using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>One deployment target (staging, production) and everything the runbook needs to know about it.</summary>
public sealed record EnvironmentConfig
{
    /// <summary>The environment's name, e.g. <c>staging</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The name again, so that the object binds to the next cmdlet's -Environment by property name.</summary>
    public string Environment => Name;

    /// <summary>The public URL of the environment, the base for smoke tests.</summary>
    public Uri? Url { get; init; }

    /// <summary>Whether changes here need a recorded approval of their version by a second person (production).</summary>
    public bool RequireApproval { get; init; }

    /// <summary>Who must approve, how many, and for how long (<c>approval</c>); applies when <see cref="RequireApproval"/> is true.</summary>
    public ApprovalSettings Approval { get; init; } = ApprovalSettings.Default;

    /// <summary>Whether the deployment schedule (windows, avoided days, blackouts) applies here.</summary>
    public bool EnforceSchedule { get; init; } = true;

    /// <summary>The image registry: image = {Registry}/{image}:{version}.</summary>
    public required string Registry { get; init; }

    /// <summary>Where Test-SkPreflight asks whether the release commit's CI passed (<c>ci</c>); null when not configured.</summary>
    public CiSettings? Ci { get; init; }

    /// <summary>Where Test-SkPreflight asks who is on call (<c>onCall</c>); null: a person attests it.</summary>
    public OnCallSettings? OnCall { get; init; }

    /// <summary>The registry's OCI distribution API, where Test-SkPreflight checks that every image exists (<c>registry: { url, usernameEnv, passwordEnv }</c>); null when not configured.</summary>
    public RegistrySettings? RegistryApi { get; init; }

    /// <summary>The services, in the runbook's rollout order (by tier, then as listed).</summary>
    public required IReadOnlyList<ServiceConfig> Services { get; init; }

    /// <summary>The runbook's error-rate levels.</summary>
    public required ErrorRateThresholds Thresholds { get; init; }

    /// <summary>How long and how often to watch after a deployment.</summary>
    public required MonitorSettings Monitor { get; init; }

    /// <summary>The cluster this environment runs in.</summary>
    public required KubernetesSettings Kubernetes { get; init; }

    /// <summary>How much longer an emergency deployment watches the error rate (<c>emergency.monitorFactor</c>, the runbook's "extra monitoring period"; default 2).</summary>
    public int EmergencyMonitorFactor { get; init; } = 2;

    /// <summary>The database and its migrations, if any.</summary>
    public DatabaseSettings? Database { get; init; }

    /// <summary>Where error rates are measured, if configured.</summary>
    public PrometheusSettings? Prometheus { get; init; }

    /// <summary>The feature-flag API, if configured.</summary>
    public FeatureFlagSettings? FeatureFlags { get; init; }

    /// <summary>The CloudFront distribution in front of the environment, if any.</summary>
    public CdnSettings? Cdn { get; init; }

    /// <summary>The runbook's smoke checks.</summary>
    public IReadOnlyList<SmokeCheck> Smoke { get; init; } = [];

    /// <summary>The runbook's smoke suites: command lines such as <c>pnpm test:smoke:production</c> (<c>smoke: - command:</c>).</summary>
    public IReadOnlyList<SmokeSuite> SmokeSuites { get; init; } = [];

    /// <summary>Where deployment notices go, if configured.</summary>
    public NotificationSettings? Notifications { get; init; }

    /// <summary>The environment a version must have reached first (<c>promotesFrom</c>, e.g. staging for production); null for none.</summary>
    public string? PromotesFrom { get; init; }

    /// <summary>The pre-deployment checklist's settings (<c>preflight</c>).</summary>
    public PreflightSettings Preflight { get; init; } = PreflightSettings.Default;

    /// <summary>The lock's lease duration and the journal's length.</summary>
    public StateSettings State { get; init; } = StateSettings.Default;

    /// <summary>The configuration file this environment came from.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The service called <paramref name="name"/> (case-insensitive), or <c>ServiceNotFound</c>.</summary>
    public ServiceConfig Service(string name) =>
        Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new DeployException(
            ConfigErrors.ServiceNotFound,
            DeployErrorCategory.ObjectNotFound,
            $"There is no service '{name}' in environment '{Name}'. Known services: {string.Join(", ", Services.Select(s => s.Name))}. " +
            "Check the name (Tab completes it) or add the service to the configuration.",
            name);
}

/// <summary>The runbook's alert thresholds, as fractions: above 1% investigate, above 5% consider rollback, above 10% roll back.</summary>
public sealed record ErrorRateThresholds(double Investigate, double ConsiderRollback, double ImmediateRollback)
{
    /// <summary>The runbook's values.</summary>
    public static ErrorRateThresholds Runbook { get; } = new(0.01, 0.05, 0.10);
}

/// <summary>The post-deployment watch: the runbook watches for 30 minutes, every 5 seconds.</summary>
public sealed record MonitorSettings(TimeSpan Duration, TimeSpan Interval)
{
    /// <summary>The runbook's values.</summary>
    public static MonitorSettings Runbook { get; } = new(TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(5));
}

/// <summary>How to reach the cluster. A null kubeconfig means KUBECONFIG, then ~/.kube/config, then in-cluster.</summary>
public sealed record KubernetesSettings(string? Kubeconfig, string? Context, string Namespace)
{
    /// <summary>How long a rollout may take before waiting for it fails (<c>kubernetes.rolloutTimeout</c>; default 10 minutes).</summary>
    public TimeSpan RolloutTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// True when skdeploy.yml gives the environment a <c>kubernetes</c> section. Only then do the actions that do not
    /// change the cluster themselves (flags, CDN, migrations, Vercel, notices) keep their lock, journal record and
    /// approvals there; the cluster cmdlets always use the cluster (by default through $env:KUBECONFIG).
    /// </summary>
    public bool Configured { get; init; } = true;
}

/// <summary>The database: the connection string comes from an environment variable, never the file.</summary>
/// <param name="ConnectionStringEnv">The variable that holds the connection string.</param>
/// <param name="Migrations">The Prisma migrations folder.</param>
/// <param name="RollbackScripts">The folder of hand-written rollback scripts, named &lt;migration&gt;.sql.</param>
/// <param name="LargeTables">Tables whose migrations must be scheduled separately (the safety check flags them).</param>
public sealed record DatabaseSettings(string ConnectionStringEnv, string? Migrations, string? RollbackScripts, IReadOnlyList<string> LargeTables);

/// <summary>The Prometheus server and the queries that give an error ratio.</summary>
public sealed record PrometheusSettings(Uri Url, string ErrorRateQuery, string ServiceErrorRateQuery)
{
    /// <summary>The alerting rules Prometheus must hold before a deployment (<c>prometheus.requiredAlerts</c>).</summary>
    public IReadOnlyList<string> RequiredAlerts { get; init; } = [];

    /// <summary>Errors over requests across the environment.</summary>
    public const string DefaultErrorRateQuery = "sum(rate(http_errors_total[1m])) / sum(rate(http_requests_total[1m]))";

    /// <summary>Errors over requests for one service; <c>{service}</c> is replaced by its name.</summary>
    public const string DefaultServiceErrorRateQuery = "sum(rate(http_errors_total{service=\"{service}\"}[1m])) / sum(rate(http_requests_total{service=\"{service}\"}[1m]))";

    /// <summary>Errors over requests for one track (stable or canary) of a service, by the traffic metrics' <c>track</c> label.</summary>
    public const string DefaultTrackErrorRateQuery =
        "sum(rate(http_errors_total{namespace=\"{namespace}\",service=\"{service}\",track=\"{track}\"}[1m])) / sum(rate(http_requests_total{namespace=\"{namespace}\",service=\"{service}\",track=\"{track}\"}[1m]))";

    /// <summary>The p95 latency of one track of a service, from its latency histogram.</summary>
    public const string DefaultLatencyQuery =
        "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace=\"{namespace}\",service=\"{service}\",track=\"{track}\"}[1m])))";

    /// <summary>The requests of one track of a service over a window (<c>{window}</c>, the time a canary step has run so far).</summary>
    public const string DefaultTrackRequestsQuery =
        "sum(increase(http_requests_total{namespace=\"{namespace}\",service=\"{service}\",track=\"{track}\"}[{window}]))";

    /// <summary>The requests one track of a service served in <c>{window}</c> (<c>prometheus.trackRequestsQuery</c>): a canary step's traffic, for minRequests.</summary>
    public string TrackRequestsQuery { get; init; } = DefaultTrackRequestsQuery;

    /// <summary>The error ratio of one track of a service (<c>prometheus.trackErrorRateQuery</c>): <c>{track}</c> is stable or canary.</summary>
    public string TrackErrorRateQuery { get; init; } = DefaultTrackErrorRateQuery;

    /// <summary>The p95 latency of one track of a service in seconds (<c>prometheus.latencyQuery</c>).</summary>
    public string LatencyQuery { get; init; } = DefaultLatencyQuery;
}

/// <summary>Where the checklist asks whether CI passed (<c>ci</c>): GitHub's REST API, for one repository.</summary>
/// <param name="Owner">The repository's owner, e.g. skillancer.</param>
/// <param name="Repository">The repository's name, e.g. skillancer.</param>
/// <param name="TokenEnv">The variable that holds the API token.</param>
/// <param name="Url">A GitHub Enterprise server (its API is under /api/v3/); null for github.com.</param>
/// <param name="RequiredChecks">The check runs and statuses that must pass; empty: every one reported on the commit.</param>
public sealed record CiSettings(string Owner, string Repository, string TokenEnv, Uri? Url, IReadOnlyList<string> RequiredChecks)
{
    /// <summary>owner/name, as GitHub shows it.</summary>
    public string FullName => $"{Owner}/{Repository}";
}

/// <summary>Where the checklist asks who is on call (<c>onCall</c>): PagerDuty's REST API v2 and one of its schedules.</summary>
/// <param name="ScheduleId">The PagerDuty schedule, e.g. P123ABC.</param>
/// <param name="TokenEnv">The variable that holds the API token.</param>
/// <param name="Url">The API base; PagerDuty's own when not set.</param>
public sealed record OnCallSettings(string ScheduleId, string TokenEnv, Uri Url)
{
    /// <summary>PagerDuty's API base.</summary>
    public static readonly Uri PagerDuty = new("https://api.pagerduty.com/");
}

/// <summary>An OCI registry's API: its base URL, and the variables that hold a user and password for its token flow (both null: anonymous).</summary>
public sealed record RegistrySettings(Uri Url, string? UsernameEnv, string? PasswordEnv);

/// <summary>The internal feature-flag API and the variable that holds its bearer token.</summary>
public sealed record FeatureFlagSettings(Uri Url, string TokenEnv)
{
    /// <summary>How the flags must be set before a deployment (<c>featureFlags.expected</c>): the checklist's "feature flags configured correctly".</summary>
    public IReadOnlyDictionary<string, ExpectedFlag> Expected { get; init; } = new Dictionary<string, ExpectedFlag>();
}

/// <summary>What one flag must be: on or off, and/or a rollout percentage; a null part is not checked.</summary>
public sealed record ExpectedFlag(bool? Enabled, int? RolloutPercentage);

/// <summary>The CloudFront distribution. Credentials come from the AWS SDK's chain or the named profile.</summary>
public sealed record CdnSettings(string DistributionId, Uri? Endpoint, string? Profile, string? CredentialsFile)
{
    /// <summary>The default of <see cref="DedupeWindow"/>: the default time Clear-SkCdnCache -Wait waits.</summary>
    public static readonly TimeSpan DefaultDedupeWindow = TimeSpan.FromMinutes(15);

    /// <summary>cdn.dedupeWindow: a rerun of the same clear (environment, version, paths) this soon after the first returns it.</summary>
    public TimeSpan DedupeWindow { get; init; } = DefaultDedupeWindow;
}

/// <summary>One of the runbook's smoke suites: a command line run in a child PowerShell, passing when it exits 0.</summary>
/// <param name="Name">What it checks, e.g. Production smoke suite.</param>
/// <param name="Command">The command line, e.g. pnpm test:smoke:production.</param>
public sealed record SmokeSuite(string Name, string Command);

/// <summary>
/// One of the runbook's smoke checks: a request against the environment's URL (the path is appended to
/// it) and what the answer must hold: a status, text in the body, values in the JSON body.
/// </summary>
public sealed record SmokeCheck(string Name, string Method, string Path, int ExpectStatus)
{
    /// <summary>The default time a check may take.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Headers to send; a secret one takes its value from an environment variable.</summary>
    public IReadOnlyList<SmokeHeader> Headers { get; init; } = [];

    /// <summary>The request body: JSON when written as a mapping or list, else the text as written.</summary>
    public string? Body { get; init; }

    /// <summary>Whether <see cref="Body"/> is JSON.</summary>
    public bool BodyIsJson { get; init; }

    /// <summary>Texts the response body must contain.</summary>
    public IReadOnlyList<string> ExpectBodyContains { get; init; } = [];

    /// <summary>Values the JSON response must hold, by path (<c>user.email</c>, <c>jobs[0].id</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExpectJson { get; init; } = [];

    /// <summary>How long the check may take.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}

/// <summary>A header of a smoke check: a value written in the file, or the name of the variable that holds a secret one.</summary>
public sealed record SmokeHeader(string Name, string? Value, string? ValueEnv);

/// <summary>Where deployment notices go: the webhook URL comes from an environment variable.</summary>
public sealed record NotificationSettings(string WebhookUrlEnv)
{
    /// <summary>The variable that holds the webhook of on-call and the engineering lead, told of an emergency deployment (<c>notifications.emergency.webhookUrlEnv</c>); null: the main webhook.</summary>
    public string? EmergencyWebhookUrlEnv { get; init; }
}
