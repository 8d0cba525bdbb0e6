using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration;

/// <summary>
/// Keeps a long run's record up to date while it runs (a deployment run, a progressive canary): each step as it starts
/// (Running, with its start time) and as it ends, the images the services ran before the rollout, where the run
/// stands, and what it has measured (its charts). What a run resumed after its process died (-Resume) knows of the run it carries on is only what this wrote.
/// A write that fails is a warning, once: the run goes on, and only its resumability suffers.
/// </summary>
internal sealed class RunCheckpoint(ClusterConnection cluster, EnvironmentConfig environment, string recordId, OperationHost host)
{
    private bool _warned;
    private DeploymentRecord? _record;

    /// <summary>The run's options (<see cref="DeploymentRecord.Parameters"/>), written with every step.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>The images before the rollout, by service; kept in every later write.</summary>
    public IReadOnlyDictionary<string, string>? PreviousImages { get; set; }

    /// <summary>Where the run stands (<see cref="DeploymentRecord.Progress"/>); kept in every later write.</summary>
    public IReadOnlyDictionary<string, string>? Progress { get; set; }

    /// <summary>What the run has measured so far (<see cref="DeploymentRecord.Charts"/>); kept in every later write.</summary>
    public IReadOnlyList<RecordChart>? Charts { get; set; }

    /// <summary>Writes the steps that ended, and the one starting now (<paramref name="running"/>, by name), into the record.</summary>
    public Task SaveAsync(IEnumerable<RecordStep> ended, string? running, CancellationToken cancellationToken) =>
        SaveAsync(ended, running is null ? null : Running(running, DateTimeOffset.UtcNow), cancellationToken);

    /// <summary>Writes the steps that ended, and the one in progress (<paramref name="running"/>), into the record.</summary>
    public async Task SaveAsync(IEnumerable<RecordStep> ended, RecordStep? running, CancellationToken cancellationToken)
    {
        try
        {
            // Read once: only this run writes its record until it closes it.
            var record = _record ??= await DeploymentJournal.ReadAsync(cluster, environment, recordId, cancellationToken).ConfigureAwait(false);
            if (record is not { Status: RecordStatus.Running })
            {
                return;
            }

            IReadOnlyList<RecordStep> written = [.. ended, .. running is null ? [] : new[] { running }];
            _record = record with
            {
                Steps = written,
                PreviousImages = PreviousImages ?? record.PreviousImages,
                Parameters = Parameters ?? record.Parameters,
                Progress = Progress ?? record.Progress,
                Charts = Charts ?? record.Charts,
            };
            await DeploymentJournal.UpdateAsync(cluster, environment, _record, cancellationToken).ConfigureAwait(false);
        }
        catch (DeployException e) when (!_warned)
        {
            _warned = true;
            host.Warning($"The run's progress could not be written to its journal record {recordId} ({e.Message}); it goes on, but -Resume could not carry it on from here if its process died.");
        }
        catch (DeployException)
        {
        }
    }

    /// <summary>A step in progress, as the record keeps it: status Running, and when it started.</summary>
    public static RecordStep Running(string name, DateTimeOffset startedAt, string detail = "") =>
        new() { Name = name, Status = RecordStatus.Running.ToString(), StartedAt = startedAt, Detail = detail };
}
