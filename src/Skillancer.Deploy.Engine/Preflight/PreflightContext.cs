using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Preflight;

/// <summary>
/// What every item of one checklist run shares: the request, the version's tag, the cluster connection, and the reads
/// that more than one item needs, made once (the target's migrations), so that no request is repeated.
/// </summary>
public sealed class PreflightContext
{
    private readonly Lazy<Task<IReadOnlyList<MigrationStatus>>> _migrations;

    internal PreflightContext(PreflightRequest request, string tag, ClusterConnection cluster, OperationHost host, CancellationToken cancellationToken)
    {
        Request = request;
        Tag = tag;
        Cluster = cluster;
        Host = host;
        _migrations = new(() => MigrationStatusReader.ReadAsync(MigrationSource.Of(Environment, request.CurrentDirectory), host, cancellationToken));
    }

    /// <summary>What was asked.</summary>
    public PreflightRequest Request { get; }

    /// <summary>The environment checked.</summary>
    public EnvironmentConfig Environment => Request.Environment;

    /// <summary>The version's tag, e.g. v1.2.3.</summary>
    public string Tag { get; }

    /// <summary>The environment's cluster.</summary>
    public ClusterConnection Cluster { get; }

    /// <summary>Where the items report.</summary>
    public OperationHost Host { get; }

    /// <summary>The target's migrations, read once for every item that needs them (the environment must have a database section).</summary>
    public Task<IReadOnlyList<MigrationStatus>> TargetMigrationsAsync() => _migrations.Value;
}
