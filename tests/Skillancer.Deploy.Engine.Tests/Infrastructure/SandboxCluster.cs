using k8s;
using k8s.Models;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Sandbox.Hosting;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>
/// The sandbox's Kubernetes API for the rollout tests: the test run's sandbox ($SKDEPLOY_SANDBOX_CONFIG,
/// started by build.ps1), or, when a test runs on its own, one started in this process. Each test
/// gets a namespace of its own holding a copy of an environment's services.
/// </summary>
public sealed class SandboxCluster : IAsyncLifetime
{
    private SandboxHost? _ownSandbox;
    private string? _ownDirectory;
    private Dictionary<string, string> _kubeconfigs = [];

    public DeployConfig Config { get; private set; } = null!;

    /// <summary>The sandbox's cluster-admin kubeconfig (system:masters), for setting up what the deployer may not, such as namespaces.</summary>
    public string AdminKubeconfig { get; private set; } = null!;

    /// <summary>The sandbox's plain HTTP address: services and the admin API.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var configPath = Environment.GetEnvironmentVariable("SKDEPLOY_SANDBOX_CONFIG");
        if (string.IsNullOrEmpty(configPath))
        {
            _ownDirectory = Path.Join(Path.GetTempPath(), "skdeploy-cluster-" + Guid.NewGuid().ToString("N")[..8]);
            _ownSandbox = await SandboxHost.StartAsync(new SandboxOptions(_ownDirectory) { RolloutStep = TimeSpan.FromSeconds(0.05), StartPrometheus = true });
            configPath = _ownSandbox.ConfigPath;
        }

        var files = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Join(Path.GetDirectoryName(configPath)!, "sandbox.json"))).RootElement;
        Config = ConfigLoader.Load(configPath);
        _kubeconfigs = files.GetProperty("kubeconfigs").EnumerateObject().ToDictionary(k => k.Name, k => k.Value.GetString()!);
        AdminKubeconfig = _kubeconfigs["admin"];
        Admin = new HttpClient { BaseAddress = new Uri(files.GetProperty("baseUrl").GetString()!) };
        foreach (var variable in files.TryGetProperty("environment", out var variables) && variables.ValueKind == JsonValueKind.Object ? variables.EnumerateObject() : default)
        {
            Environment.SetEnvironmentVariable(variable.Name, variable.Value.GetString());
        }
    }

    /// <summary>
    /// A copy of <paramref name="environment"/>'s services in a fresh namespace, every rollout complete;
    /// the returned configuration points at that namespace.
    /// </summary>
    public async Task<EnvironmentConfig> NewEnvironmentAsync(string environment = "staging", int progressDeadlineSeconds = 600)
    {
        var ns = "t-" + Guid.NewGuid().ToString("N")[..10];
        using var seeded = await Admin.PostAsJsonAsync("sandbox/kubernetes/environments", new { environment, @namespace = ns, progressDeadlineSeconds });
        seeded.EnsureSuccessStatusCode();
        var source = Config.Environment(environment);
        // The sandbox serves a copy's web app and health checks under its namespace instead of the environment's name.
        var copy = source with
        {
            Kubernetes = source.Kubernetes with { Namespace = ns },
            Url = new Uri(Admin.BaseAddress!, $"svc/{ns}/web/"),
            Services = source.Services.Select(s => s with { Health = s.Health is null ? null : Own(s.Health) }).ToList(),
            FeatureFlags = source.FeatureFlags is { } flags ? flags with { Url = Own(flags.Url) } : null,
        };
        using var cluster = Connect(copy);
        Uri Own(Uri url) => new(url.ToString().Replace($"/svc/{environment}/", $"/svc/{ns}/", StringComparison.Ordinal));
        foreach (var service in copy.Services)
        {
            var wait = await RolloutWaiter.WaitAsync(cluster, ns, service.Deployment, TimeSpan.FromSeconds(60), _ => { }, OperationHost.Silent, CancellationToken.None);
            Assert.True(wait.Done, $"the seeded deployment {ns}/{service.Deployment} did not become ready");
        }

        // As with a real cluster's endpoints, the services serve from the new pods a moment after the rollout reports them.
        foreach (var health in copy.Services.Select(s => s.Health).OfType<Uri>())
        {
            await Eventually.TrueAsync(async () => (await Admin.GetAsync(health)).IsSuccessStatusCode);
        }

        return copy;
    }

    /// <summary>Sets a deployment's image in a test's namespace and waits for the rollout to finish.</summary>
    public async Task RollOutAsync(EnvironmentConfig environment, string service, string tag)
    {
        var config = environment.Service(service);
        using var cluster = Connect(environment);
        await RolloutStarter.SetImageAsync(cluster, environment.Kubernetes.Namespace, config, $"{environment.Registry}/{config.Image}:{tag}", "test", CancellationToken.None);
        var wait = await RolloutWaiter.WaitAsync(cluster, environment.Kubernetes.Namespace, config.Deployment, TimeSpan.FromSeconds(60), _ => { }, OperationHost.Silent, CancellationToken.None);
        Assert.True(wait.Done, $"the rollout of {tag} to {service} did not finish");
        if (config.Health is { } health)
        {
            // The service answers from the new pods a moment after the rollout reports them.
            await Eventually.TrueAsync(async () =>
            {
                using var answer = await Admin.GetAsync(health);
                return (await answer.Content.ReadFromJsonAsync<JsonObject>())?["version"]?.GetValue<string>() == tag;
            });
        }
    }

    public ClusterConnection Connect(EnvironmentConfig environment, OperationHost? host = null) =>
        ClusterConnection.Open(environment.Kubernetes, null, null, host ?? OperationHost.Silent);

    /// <summary>A connection to <paramref name="environment"/>'s cluster as one of the sandbox's users: deployer, approver, viewer or admin.</summary>
    public ClusterConnection ConnectAs(EnvironmentConfig environment, string user) =>
        Connect(environment with { Kubernetes = environment.Kubernetes with { Kubeconfig = _kubeconfigs[user] } });

    /// <summary>A connection to <paramref name="environment"/>'s cluster as the sandbox's admin, for fixtures.</summary>
    public ClusterConnection ConnectAsAdmin(EnvironmentConfig environment) =>
        Connect(environment with { Kubernetes = environment.Kubernetes with { Kubeconfig = AdminKubeconfig } });

    /// <summary>
    /// Writes what a holder killed mid-action leaves behind: the Lease <c>skdeploy-staging</c> held by
    /// ghost@skillancer.test for "Start-SkRollout v1.2.3", renewed three seconds ago with a two-second duration (so
    /// expired), naming its journal record <paramref name="recordId"/> when given.
    /// </summary>
    public async Task LeaveDeadHolderAsync(EnvironmentConfig environment, string? recordId = null)
    {
        using var admin = ConnectAsAdmin(environment);
        var stale = DateTime.UtcNow.AddSeconds(-3);
        var annotations = new Dictionary<string, string> { ["skillancer.com/action"] = "Start-SkRollout v1.2.3", ["skillancer.com/user"] = "ghost@skillancer.test" };
        if (recordId is not null)
        {
            annotations["skillancer.com/record"] = recordId;
        }

        await admin.Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "skdeploy-staging", Annotations = annotations },
            Spec = new V1LeaseSpec { HolderIdentity = "ghost@skillancer.test/runner-1/4242/dead", LeaseDurationSeconds = 2, AcquireTime = stale.AddSeconds(-10), RenewTime = stale },
        }, environment.Kubernetes.Namespace);
    }

    /// <summary>Adds a fault rule (see the sandbox's /sandbox/faults) and returns its id.</summary>
    public async Task<string> AddFaultAsync(object rule)
    {
        using var response = await Admin.PostAsJsonAsync("sandbox/faults", rule);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonArray>())![0]!["id"]!.GetValue<string>();
    }

    public async Task RemoveFaultAsync(string id) => (await Admin.DeleteAsync($"sandbox/faults/{id}")).EnsureSuccessStatusCode();

    /// <summary>The requests served under a namespace's URLs (method, path, status), oldest first.</summary>
    public async Task<IReadOnlyList<(string Method, string Path, int Status)>> RequestsAsync(string ns)
    {
        var all = await Admin.GetFromJsonAsync<JsonArray>("sandbox/requests");
        return all!.Select(r => (r!["method"]!.GetValue<string>(), r["path"]!.GetValue<string>(), r["status"]!.GetValue<int>()))
            .Where(r => r.Item2.Contains($"/namespaces/{ns}/", StringComparison.Ordinal) || r.Item2.EndsWith($"/namespaces/{ns}", StringComparison.Ordinal))
            .ToList();
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (_ownSandbox is not null)
        {
            await _ownSandbox.DisposeAsync();
            Directory.Delete(_ownDirectory!, recursive: true);
        }
    }
}
