using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.State.Lock;

namespace Skillancer.Deploy.Engine.State;

/// <summary>An admitted action about to change an environment: what it says about itself, and how long it waits for the lock.</summary>
/// <param name="Environment">The environment changed.</param>
/// <param name="Admission">The policy's admission for the step.</param>
/// <param name="Subject">The kind of record, the version and the services.</param>
public sealed record ChangeRequest(EnvironmentConfig Environment, Admission Admission, RecordSubject Subject)
{
    /// <summary>How long to wait for another holder of the environment's lock (-LockTimeout); zero fails at once.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.Zero;

    /// <summary>The id of the record to open, chosen by a caller that must know it first (the deployment run); null for a new one.</summary>
    public string? RecordId { get; init; }

    /// <summary>
    /// The Running record of an action whose process died, which this one carries on (Invoke-SkDeployment -Resume):
    /// the lock its holder left is taken over once its lease expires, the record is continued rather than marked
    /// Abandoned, and no new record is opened.
    /// </summary>
    public DeploymentRecord? Resumes { get; init; }

    /// <summary>Refuses a negative -LockTimeout (InvalidLockTimeout), before anything is asked of the cluster.</summary>
    public ChangeRequest Validate()
    {
        LockRequest.RequireWait(LockWait);
        return this;
    }
}
