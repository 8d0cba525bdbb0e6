using Skillancer.Deploy.Engine.Kubernetes.Cluster;

namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>What an action says about itself before it starts: the kind of record, the version it deploys and the services it touches.</summary>
/// <param name="Kind">The kind of action.</param>
/// <param name="Version">The version (image tag) it deploys or works on; null when it has none, or does not know it yet.</param>
/// <param name="Services">The services it touches, in the order it touches them.</param>
public sealed record RecordSubject(RecordKind Kind, string? Version, IReadOnlyList<string> Services)
{
    /// <summary>
    /// For an action that works on a version it does not name (a canary's weight or promotion): how to read that version
    /// from the cluster, before the first change, so that the record names it and its approvals can be checked.
    /// </summary>
    public Func<ClusterConnection, CancellationToken, Task<string?>>? FindVersion { get; init; }
}
