using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration;

/// <summary>Which run -Resume looks for: its record's kind, the service it works on (a canary), and the commands the errors name.</summary>
/// <param name="Kind">The record's kind: Deploy, or Canary.</param>
/// <param name="What">The run in words: "deployment run", "canary of web".</param>
/// <param name="Start">The command that starts a new one (with a &lt;version&gt; placeholder).</param>
/// <param name="Resume">The command that resumes it.</param>
/// <param name="Service">The service its record must name; null for any.</param>
internal sealed record ResumableRun(RecordKind Kind, string What, string Start, string Resume, string? Service = null);

/// <summary>
/// What -Resume carries on: the environment's newest run of a kind still Running (its process died: a killed runner,
/// Ctrl+C twice), and, from its record, the steps it finished and the step it was in.
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

    /// <summary>How long the resumed run waits for the lock: <paramref name="asked"/>, but at least what the dead run's lease may have left (lock.leaseDuration) and a margin.</summary>
    public static TimeSpan LockWait(EnvironmentConfig environment, TimeSpan asked)
    {
        var leaseLeft = environment.State.LeaseDuration + TimeSpan.FromSeconds(5);
        return asked > leaseLeft ? asked : leaseLeft;
    }

    /// <summary>
    /// The newest Running record of <paramref name="run"/>'s kind (and service); NothingToResume when there is none,
    /// ResumeVersionMismatch when <paramref name="version"/> (when given) is not its version.
    /// </summary>
    public static async Task<RunResumption> FindAsync(
        ClusterConnection cluster, EnvironmentConfig environment, ResumableRun run, string? version, CancellationToken cancellationToken)
    {
        var runs = (await DeploymentJournal.FindAsync(cluster, environment, new JournalQuery { Kinds = [run.Kind] }, cancellationToken).ConfigureAwait(false))
            .Where(r => run.Service is null || r.Services.Contains(run.Service, StringComparer.OrdinalIgnoreCase))
            .ToList();
        var running = runs.Where(r => r.Status == RecordStatus.Running).MaxBy(r => r.StartedAt);
        if (running is null)
        {
            var last = runs.MaxBy(r => r.StartedAt);
            throw new DeployException(StateErrors.NothingToResume, DeployErrorCategory.ObjectNotFound,
                $"{environment.Name} has no {run.What} to resume: none of its journal's {run.Kind} records{(run.Service is null ? "" : $" of {run.Service}")} says Running" +
                (last is null ? "." : $" (the newest, {last.Id} of {last.Version}, ended {last.Status}).") +
                $" Start one with {run.Start}. Nothing was changed.",
                environment.Name);
        }

        if (!string.IsNullOrEmpty(version) && !string.Equals(ImageTags.FromVersion(version), running.Version, StringComparison.Ordinal))
        {
            throw new DeployException(StateErrors.ResumeVersionMismatch, DeployErrorCategory.InvalidArgument,
                $"The {run.What} to resume in {environment.Name} ({running.Id}) is of {running.Version}, not {ImageTags.FromVersion(version)}. " +
                $"Resume it with {run.Resume} (its version is taken from the record), " +
                $"or let it end and start a new one of {ImageTags.FromVersion(version)}. Nothing was changed.",
                version);
        }

        return new RunResumption(running);
    }
}
