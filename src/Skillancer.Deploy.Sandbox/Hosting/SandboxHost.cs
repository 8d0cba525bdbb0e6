using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Skillancer.Deploy.Sandbox.Ci;
using Skillancer.Deploy.Sandbox.CloudFront;
using Skillancer.Deploy.Sandbox.OnCall;
using Skillancer.Deploy.Sandbox.Registry;
using Skillancer.Deploy.Sandbox.Database;
using Skillancer.Deploy.Sandbox.FeatureFlags;
using Skillancer.Deploy.Sandbox.Faults;
using Skillancer.Deploy.Sandbox.Kubernetes;
using Skillancer.Deploy.Sandbox.Kubernetes.Api;
using Skillancer.Deploy.Sandbox.Prometheus;
using Skillancer.Deploy.Sandbox.Scenario;
using Skillancer.Deploy.Sandbox.Services;
using Skillancer.Deploy.Sandbox.Webhooks;

namespace Skillancer.Deploy.Sandbox.Hosting;

/// <summary>
/// One running sandbox: a Kestrel server on loopback hosting every stand-in (plain HTTP for the services
/// and the admin API, HTTPS for the Kubernetes API), and the files that point at it. Program.cs runs one;
/// tests start their own.
/// </summary>
internal sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ThrowawayPostgres? _postgres;

    private SandboxHost(WebApplication app, ApiCertificate certificate, ThrowawayPostgres? postgres)
    {
        _app = app;
        Certificate = certificate;
        _postgres = postgres;
    }

    /// <summary>The variable that holds the web app's test user's Authorization header, for the smoke checks.</summary>
    public const string SmokeAuthorizationVariable = "SKDEPLOY_SANDBOX_SMOKE_AUTHORIZATION";

    /// <summary>The variable that holds the feature-flag API's admin token.</summary>
    public const string AdminTokenVariable = "SKDEPLOY_SANDBOX_ADMIN_TOKEN";

    /// <summary>The variable that holds the webhook sink's URL (a secret, as Slack's are).</summary>
    public const string WebhookUrlVariable = "SKDEPLOY_SANDBOX_WEBHOOK_URL";

    /// <summary>The variable that holds the webhook of on-call and the engineering lead (notifications.emergency.webhookUrlEnv).</summary>
    public const string EmergencyWebhookUrlVariable = "SKDEPLOY_SANDBOX_ONCALL_WEBHOOK_URL";

    /// <summary>The variable that holds the PagerDuty API's token (onCall.tokenEnv).</summary>
    public const string PagerDutyTokenVariable = "SKDEPLOY_SANDBOX_PAGERDUTY_TOKEN";

    /// <summary>The variable that holds the GitHub API's token (ci.tokenEnv).</summary>
    public const string GitHubTokenVariable = "SKDEPLOY_SANDBOX_GITHUB_TOKEN";

    /// <summary>The repository whose CI the sandbox's GitHub answers for (ci.repository).</summary>
    public const string Repository = "skillancer/skillancer";

    /// <summary>The on-call schedule the sandbox's configuration names.</summary>
    public const string OnCallSchedule = "PSANDBOX";

    /// <summary>The variable that holds the user of the sandbox's OCI registry (production's registry.usernameEnv).</summary>
    public const string RegistryUsernameVariable = "SKDEPLOY_SANDBOX_REGISTRY_USERNAME";

    /// <summary>The variable that holds that user's password (production's registry.passwordEnv).</summary>
    public const string RegistryPasswordVariable = "SKDEPLOY_SANDBOX_REGISTRY_PASSWORD";

    /// <summary>The Kubernetes API's TLS certificate and the CA that signed it.</summary>
    public ApiCertificate Certificate { get; }

    /// <summary>The root URL of the plain HTTP listener, ending in '/'.</summary>
    public Uri BaseUrl { get; private init; } = null!;

    /// <summary>The Kubernetes API server's URL.</summary>
    public Uri ApiServer { get; private init; } = null!;

    /// <summary>The skdeploy.yml that points at this sandbox.</summary>
    public string ConfigPath { get; private init; } = null!;

    /// <summary>The kubeconfig for the sandbox's cluster.</summary>
    public string KubeconfigPath { get; private init; } = null!;

    /// <summary>Every user's kubeconfig by role: deployer (<see cref="KubeconfigPath"/>), approver, viewer and admin.</summary>
    public IReadOnlyDictionary<string, string> Kubeconfigs { get; private init; } = new Dictionary<string, string>();

    public SandboxScenario Scenario { get; private init; } = null!;

    public KubernetesCluster Cluster { get; private init; } = null!;

    /// <summary>The health behaviours set through the control API.</summary>
    public ServiceFleet Fleet { get; private init; } = null!;

    public ServiceTraffic Traffic { get; private init; } = null!;

    public FaultInjector Faults { get; private init; } = null!;

    public RequestLog Requests { get; private init; } = null!;

    /// <summary>The environments' databases, when the sandbox runs PostgreSQL.</summary>
    public SandboxDatabases? Databases { get; private init; }

    /// <summary>The Prometheus that scrapes the sandbox, when it runs one.</summary>
    public PrometheusServer? Prometheus { get; private init; }

    /// <summary>The variables a client of the sandbox sets (names and values): the test user's token.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; private init; } = new Dictionary<string, string>();

    /// <summary>Every variable the written skdeploy.yml names through a <c>*Env</c> key, with its value: the databases' URLs, then the secrets.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Variables { get; private init; } = [];

    public static async Task<SandboxHost> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        var scenario = options.ScenarioPath is null
            ? SandboxScenario.Default(options.InitialVersion)
            : SandboxScenario.FromConfig(options.ScenarioPath, options.InitialVersion);
        var certificate = ApiCertificate.Create();
        var cluster = new KubernetesCluster(scenario, options.RolloutStep, WatchSettings.Default with { BookmarkInterval = options.BookmarkInterval });
        var traffic = new ServiceTraffic(scenario, options.RequestsPerPodPerSecond);
        traffic.Follow(cluster.Controller.Snapshot);
        cluster.Controller.SnapshotChanged += traffic.Follow;
        traffic.FollowRoutes(cluster.Store);
        var fleet = new ServiceFleet();
        var faults = new FaultInjector();
        foreach (var rule in options.FaultsPath is null ? [] : JsonSerializer.Deserialize<FaultRule[]>(File.ReadAllText(options.FaultsPath), AdminJson.Options) ?? [])
        {
            faults.Add(rule);
        }

        var requests = new RequestLog();
        var testUserToken = RandomToken();
        var adminToken = RandomToken();
        var webhookPath = $"hooks/T0SANDBOX/B0NOTICES/{RandomToken()}";
        var emergencyWebhookPath = $"hooks/T0SANDBOX/B0ONCALL/{RandomToken()}";
        var registryPassword = RandomToken();
        var pagerDutyToken = RandomToken();
        var gitHubToken = RandomToken();
        var aws = AwsSandboxCredentials.Create();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, options.Port);
            kestrel.Listen(System.Net.IPAddress.Loopback, options.ApiPort, listen => listen.UseHttps(certificate.Server));
        });
        var app = builder.Build();
        app.Use(requests.InvokeAsync);
        app.Use(faults.InvokeAsync);
        WebAppPages.Map(app, traffic, testUserToken);
        new FeatureFlagService(adminToken).Map(app);
        new WebhookSink().Map(app);
        new PagerDutyApi(pagerDutyToken).Map(app);
        // The versions released so far: their images are in the registry, their release branches on GitHub.
        string[] published = [scenario.InitialVersion, "v1.2.3", "v1.2.4", "v1.2.5", "v1.3.0"];
        new GitHubApi(gitHubToken, published).Map(app);
        new OciRegistry(
            OciRegistry.Published(scenario.Registry, scenario.Environments.SelectMany(e => e.Services).Select(s => s.Image).Distinct(), published),
            "deployer", registryPassword).Map(app);
        new CloudFrontApi(new SigV4Verifier(aws.AccessKeyId, aws.SecretAccessKey, "us-east-1", "cloudfront"),
            scenario.Environments.Select(e => AwsSandboxCredentials.DistributionId(e.Name)).ToHashSet(StringComparer.Ordinal), options.InvalidationDelay).Map(app);
        HealthEndpoints.Map(app, fleet, traffic);
        TrafficEndpoints.Map(app, traffic);
        cluster.Api.Map(app);
        faults.Map(app);
        requests.Map(app);
        app.MapPost("/sandbox/kubernetes/environments", (EnvironmentCopy copy) =>
        {
            if (scenario.Environment(copy.Environment) is not { } environment)
            {
                return Results.Json(new { error = $"there is no environment '{copy.Environment}' in the scenario" }, statusCode: 404);
            }

            try
            {
                ClusterSeeder.SeedEnvironment(cluster.Store, scenario, environment, copy.Namespace, copy.ProgressDeadlineSeconds ?? 600);
                traffic.Track(copy.Namespace, environment);
            }
            catch (Kubernetes.Store.KubeException e)
            {
                return Results.Content(e.Status.ToJsonString(), "application/json", statusCode: e.Code);
            }

            return Results.Json(copy, statusCode: 201);
        });
        app.MapDelete("/sandbox/kubernetes/environments/{ns}", (string ns) =>
        {
            try
            {
                cluster.Store.DeleteNamespace(ns);
            }
            catch (Kubernetes.Store.KubeException e)
            {
                return Results.Content(e.Status.ToJsonString(), "application/json", statusCode: e.Code);
            }

            traffic.Untrack(ns);
            return Results.NoContent();
        });
        app.MapGet("/sandbox/kubernetes/rollouts", () => Results.Json(cluster.Controller.CompletedAt
            .Select(p => new { @namespace = p.Key.Namespace, deployment = p.Key.Name, completedAt = p.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture) })
            .OrderBy(r => r.@namespace, StringComparer.Ordinal).ThenBy(r => r.deployment, StringComparer.Ordinal)));
        app.MapPost("/sandbox/kubernetes/compact", () =>
        {
            cluster.Store.Compact();
            return Results.NoContent();
        });
        app.MapGet("/", () => Results.Text("Skillancer.Deploy sandbox\n"));

        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var baseUrl = new Uri(addresses.First(a => a.StartsWith("http:", StringComparison.Ordinal)).TrimEnd('/') + "/");
        var apiServer = new Uri(addresses.First(a => a.StartsWith("https:", StringComparison.Ordinal)).TrimEnd('/'));
        var postgres = options.StartPostgres ? await ThrowawayPostgres.TryStartAsync(Console.Out, cancellationToken) : null;
        var databases = postgres is null
            ? null
            : await SandboxDatabases.CreateAsync(postgres, scenario.Environments.Select(e => e.Name), options.MigrationsFolder, options.RollbackFolder, cancellationToken);
        var prometheus = options.StartPrometheus ? await PrometheusServer.TryStartAsync(baseUrl.Authority, [.. scenario.Environments.SelectMany(e => e.Services).Select(s => s.Name).Distinct()], Console.Out, cancellationToken) : null;
        var secrets = new Dictionary<string, string>
        {
            [SmokeAuthorizationVariable] = $"Bearer {testUserToken}",
            [AdminTokenVariable] = adminToken,
            [WebhookUrlVariable] = new Uri(baseUrl, webhookPath).ToString(),
            [EmergencyWebhookUrlVariable] = new Uri(baseUrl, emergencyWebhookPath).ToString(),
            [RegistryUsernameVariable] = "deployer",
            [RegistryPasswordVariable] = registryPassword,
            [PagerDutyTokenVariable] = pagerDutyToken,
            [GitHubTokenVariable] = gitHubToken,
        };
        var directory = Path.GetFullPath(options.OutputDirectory);
        Directory.CreateDirectory(directory);
        var kubeconfigs = cluster.Users.All.ToDictionary(
            u => u.Role,
            u => KubeconfigWriter.Write(directory, apiServer, certificate.AuthorityPem, u, scenario.Environments[0].Namespace),
            StringComparer.Ordinal);
        var kubeconfig = kubeconfigs[cluster.Users.Deployer.Role];
        var credentialsFile = aws.Write(directory);
        var configPath = SandboxConfigWriter.Write(directory, baseUrl, kubeconfig, scenario, databases, prometheus?.Url, credentialsFile);
        var variables = (databases?.ByEnvironment.Values.Select(d => KeyValuePair.Create(d.Variable, d.Url)) ?? []).Concat(secrets).ToList();
        await File.WriteAllTextAsync(
            Path.Join(directory, "sandbox.json"),
            JsonSerializer.Serialize(new
            {
                baseUrl = baseUrl.ToString(),
                apiServer = apiServer.ToString(),
                configPath,
                kubeconfig,
                kubeconfigs,
                users = cluster.Users.All.ToDictionary(u => u.Role, u => new { name = u.Name, groups = u.Groups, kubeconfig = kubeconfigs[u.Role] }),
                postgres = databases?.AdminConnectionString,
                prometheus = prometheus?.Url.ToString(),
                awsCredentialsFile = credentialsFile,
                environment = variables.ToDictionary(),
            }),
            cancellationToken);
        return new SandboxHost(app, certificate, postgres)
        {
            BaseUrl = baseUrl,
            ApiServer = apiServer,
            ConfigPath = configPath,
            KubeconfigPath = kubeconfig,
            Kubeconfigs = kubeconfigs,
            Scenario = scenario,
            Cluster = cluster,
            Fleet = fleet,
            Traffic = traffic,
            Faults = faults,
            Requests = requests,
            Databases = databases,
            Prometheus = prometheus,
            Secrets = secrets,
            Variables = variables,
        };
    }

    private static string RandomToken() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>A request to seed a copy of an environment's services into a new namespace.</summary>
    internal sealed record EnvironmentCopy(string Environment, string Namespace, int? ProgressDeadlineSeconds = null);

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Cluster.DisposeAsync();
        Certificate.Dispose();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }
    }
}
