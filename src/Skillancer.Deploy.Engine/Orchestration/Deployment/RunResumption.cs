using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration.Deployment;

/// <summary>
/// What Invoke-SkDeployment -Resume carries on: the environment's newest deployment run still Running (its process
/// died: a killed runner, Ctrl+C twice), and, from its record, the steps it finished and the step it was in.
/// </summary>
internal sealed class RunResumption
{
    private RunResumption(DeploymentRecord record) => Record = record;

    /// <summary>The record carried on.</summary>
    public DeploymentRecord Record { get; }

    /// <summary>The steps the run had ended (Succeeded, Warning, Skipped or Failed), by name; the rollback's are done again.</summary>
    public IReadOnlyDictionary<string, RecordStep> Ended =>
        Record.Steps.Where(s => !s.Undo && s.Status != RecordStatus.Running.ToString()).GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    /// <summary>The step the run was in when its process died, when the record says.</summary>
    public RecordStep? Interrupted => Record.Steps.LastOrDefault(s => s.Status == RecordStatus.Running.ToString());

    /// <summary>
    /// The newest Running deployment record of the environment; NothingToResume when there is none, ResumeVersionMismatch
    /// when <paramref name="version"/> (when given) is not its version.
    /// </summary>
    public static async Task<RunResumption> FindAsync(ClusterConnection cluster, EnvironmentConfig environment, string? version, CancellationToken cancellationToken)
    {
        var runs = await DeploymentJournal.FindAsync(cluster, environment, new JournalQuery { Kinds = [RecordKind.Deploy] }, cancellationToken).ConfigureAwait(false);
        var running = runs.Where(r => r.Status == RecordStatus.Running).MaxBy(r => r.StartedAt);
        if (running is null)
        {
            var last = runs.MaxBy(r => r.StartedAt);
            throw new DeployException(StateErrors.NothingToResume, DeployErrorCategory.ObjectNotFound,
                $"{environment.Name} has no deployment run to resume: none of its journal's Deploy records says Running" +
                (last is null ? "." : $" (the newest, {last.Id} of {last.Version}, ended {last.Status}).") +
                $" Start a run with Invoke-SkDeployment -Environment {environment.Name} -Version <version>. Nothing was changed.",
                environment.Name);
        }

        if (!string.IsNullOrEmpty(version) && !string.Equals(ImageTags.FromVersion(version), running.Version, StringComparison.Ordinal))
        {
            throw new DeployException(DeploymentErrors.ResumeVersionMismatch, DeployErrorCategory.InvalidArgument,
                $"The run to resume in {environment.Name} ({running.Id}) deploys {running.Version}, not {ImageTags.FromVersion(version)}. " +
                $"Resume it with Invoke-SkDeployment -Environment {environment.Name} -Resume (its version is taken from the record), " +
                $"or let it end and start a new run of {ImageTags.FromVersion(version)}. Nothing was changed.",
                version);
        }

        return new RunResumption(running);
    }
}
