using k8s;
using k8s.Models;
using Polly;
using Polly.Retry;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>
/// The deployment log of an environment, kept in its namespace as labelled ConfigMaps (<see cref="RecordCodec"/>):
/// a record opened before an action's first change, closed when it ends, the oldest pruned beyond
/// <c>journal.keep</c>. The cluster's authentication and RBAC protect it; nothing else is needed.
/// </summary>
public static class DeploymentJournal
{
    private static readonly ResiliencePipeline CloseRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<DeployException>(),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
        })
        .Build();

    /// <summary>
    /// Writes the opening record of an action (status Running). A journal that cannot be written stops the action
    /// before it changes anything: JournalUnavailable, with the reason.
    /// </summary>
    public static async Task OpenAsync(ClusterConnection cluster, EnvironmentConfig environment, DeploymentRecord record, CancellationToken cancellationToken)
    {
        var ns = environment.Kubernetes.Namespace;
        try
        {
            await KubeFailures.CallAsync(cluster, ClusterPermissions.CreateConfigMap, $"write the journal record {record.Id} of {environment.Name}", () =>
                cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(RecordCodec.ToConfigMap(record, ns), ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (DeployException e)
        {
            throw new DeployException(StateErrors.JournalUnavailable, DeployErrorCategory.ResourceUnavailable,
                $"{record.Action} did not start: the journal of {environment.Name} could not be written ({e.Message.TrimEnd('.')}). " +
                "Nothing was changed. Fix the access to ConfigMaps in the namespace (README.md, \"Kubernetes: one Role per namespace\"), then run it again.",
                environment.Name, e);
        }
    }

    /// <summary>
    /// Rewrites a record (its closing write, or a note on a dead holder's), retrying a failed write; the last failure
    /// is thrown: the caller reports it as a warning, never as success.
    /// </summary>
    public static async Task UpdateAsync(ClusterConnection cluster, EnvironmentConfig environment, DeploymentRecord record, CancellationToken cancellationToken)
    {
        var ns = environment.Kubernetes.Namespace;
        var map = RecordCodec.ToConfigMap(record, ns);
        await CloseRetry.ExecuteAsync(async token =>
            await KubeFailures.CallAsync(cluster, ClusterPermissions.UpdateConfigMap, $"update the journal record {record.Id} of {environment.Name}", () =>
                cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(map, map.Metadata.Name, ns, cancellationToken: token)).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One record by id; null when there is none (pruned, or never written).</summary>
    public static async Task<DeploymentRecord?> ReadAsync(ClusterConnection cluster, EnvironmentConfig environment, string id, CancellationToken cancellationToken) =>
        await KubeFailures.FindAsync(cluster, ClusterPermissions.GetConfigMap, $"read the journal record {id} of {environment.Name}", () =>
            cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(RecordCodec.ObjectName(environment.Name, id), environment.Kubernetes.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false)
            is { } map ? RecordCodec.FromConfigMap(map) : null;

    /// <summary>The error for an id with no record (DeploymentRecordNotFound).</summary>
    public static DeployException NotFound(EnvironmentConfig environment, string id) =>
        new(StateErrors.RecordNotFound, DeployErrorCategory.ObjectNotFound,
            $"{environment.Name}'s journal has no record {id}: it was pruned (journal.keep: {environment.State.JournalKeep}) or never written. " +
            $"Get-SkDeploymentLog -Environment {environment.Name} lists the records there are.",
            id);

    /// <summary>Every record of the environment, newest first.</summary>
    public static async Task<IReadOnlyList<DeploymentRecord>> ListAsync(ClusterConnection cluster, EnvironmentConfig environment, CancellationToken cancellationToken) =>
        Newest(await ListObjectsAsync(cluster, environment, cancellationToken).ConfigureAwait(false));

    /// <summary>The records that match <paramref name="query"/>, newest first.</summary>
    public static async Task<IReadOnlyList<DeploymentRecord>> FindAsync(ClusterConnection cluster, EnvironmentConfig environment, JournalQuery query, CancellationToken cancellationToken)
    {
        query.Validate();
        if (query.Id is { } id)
        {
            return await ReadAsync(cluster, environment, id, cancellationToken).ConfigureAwait(false) is { } one ? [one] : [];
        }

        return query.Filter(await ListAsync(cluster, environment, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Deletes the oldest records beyond <c>journal.keep</c>, the one just opened (<paramref name="keepId"/>) always
    /// kept; returns how many it deleted. A record deleted meanwhile by someone else is fine.
    /// </summary>
    public static async Task<int> PruneAsync(ClusterConnection cluster, EnvironmentConfig environment, string keepId, CancellationToken cancellationToken)
    {
        // Each action lists the journal; only a journal over journal.keep is decoded, to find its oldest records.
        var stored = await ListObjectsAsync(cluster, environment, cancellationToken).ConfigureAwait(false);
        if (stored.Count <= environment.State.JournalKeep)
        {
            return 0;
        }

        var doomed = Newest(stored).Skip(environment.State.JournalKeep).Where(r => r.Id != keepId).Select(r => RecordCodec.ObjectName(environment.Name, r.Id)).ToList();
        foreach (var name in doomed)
        {
            // Already deleted by someone else is fine.
            await KubeFailures.FindAsync(cluster, ClusterPermissions.DeleteConfigMap, $"prune the journal record {name} of {environment.Name}", () =>
                cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync(name, environment.Kubernetes.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return doomed.Count;
    }

    // The records the ConfigMaps hold, newest first (one it cannot read is left out).
    private static List<DeploymentRecord> Newest(IEnumerable<V1ConfigMap> maps) =>
        maps.Select(RecordCodec.FromConfigMap)
            .OfType<DeploymentRecord>()
            .OrderByDescending(r => r.StartedAt)
            .ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .ToList();

    private static async Task<IList<V1ConfigMap>> ListObjectsAsync(ClusterConnection cluster, EnvironmentConfig environment, CancellationToken cancellationToken) =>
        (await KubeFailures.CallAsync(cluster, ClusterPermissions.ListConfigMaps, $"list the journal of {environment.Name}", () =>
            cluster.Client.CoreV1.ListNamespacedConfigMapAsync(environment.Kubernetes.Namespace, labelSelector: RecordCodec.Selector(environment.Name), cancellationToken: cancellationToken)).ConfigureAwait(false)).Items;
}
