namespace Skillancer.Deploy.Sandbox.Hosting;

/// <summary>Where the sandbox listens, what it writes, what it pretends to run and how fast.</summary>
/// <param name="OutputDirectory">The folder for skdeploy.yml, kubeconfig and sandbox.json.</param>
/// <param name="Port">The loopback port of the plain HTTP listener (services, admin API), or 0 for any free port.</param>
/// <param name="StartPostgres">Start a throwaway PostgreSQL cluster (when PostgreSQL is installed).</param>
/// <param name="MigrationsFolder">The migrations folder the written configuration names, if any.</param>
/// <param name="RollbackFolder">The rollback scripts folder the written configuration names, if any.</param>
internal sealed record SandboxOptions(
    string OutputDirectory,
    int Port = 0,
    bool StartPostgres = false,
    string? MigrationsFolder = null,
    string? RollbackFolder = null)
{
    /// <summary>The loopback port of the Kubernetes API's HTTPS listener, or 0 for any free port.</summary>
    public int ApiPort { get; init; }

    /// <summary>An skdeploy.yml whose environments and services the cluster runs; null for the runbook's own.</summary>
    public string? ScenarioPath { get; init; }

    /// <summary>The version every service runs at start.</summary>
    public string InitialVersion { get; init; } = Scenario.SandboxScenario.DefaultVersion;

    /// <summary>How long a new pod takes to become ready: the pace of a rollout, about one replica step.</summary>
    public TimeSpan RolloutStep { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The time between watch bookmarks.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Start a real Prometheus that scrapes the sandbox (when Prometheus is installed).</summary>
    public bool StartPrometheus { get; init; }

    /// <summary>How long a CloudFront invalidation stays InProgress before it is Completed.</summary>
    public TimeSpan InvalidationDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The requests each ready pod serves per second, in every namespace until PUT /sandbox/traffic/{namespace} changes one.</summary>
    public double RequestsPerPodPerSecond { get; init; } = Services.ServiceTraffic.DefaultRequestsPerPodPerSecond;

    /// <summary>A JSON file of fault rules to apply from the start, if any.</summary>
    public string? FaultsPath { get; init; }
}
