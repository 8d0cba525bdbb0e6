using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Identity;

namespace Skillancer.Deploy.Engine.State.Lock;

/// <summary>One action's claim on an environment's lock: who, doing what, and how long it will wait for a holder.</summary>
/// <param name="Environment">The environment locked; its Lease lives in the environment's namespace.</param>
/// <param name="Identity">Who acts, as the cluster authenticated them.</param>
/// <param name="Action">What the holder does, shown to whoever is refused: e.g. <c>Start-SkRollout v1.2.3</c>.</param>
public sealed record LockRequest(EnvironmentConfig Environment, DeployerIdentity Identity, string Action)
{
    /// <summary>The version the action deploys, when it has one.</summary>
    public string? Version { get; init; }

    /// <summary>The id of the journal record of the action, so whoever takes an expired lock over can mark that record abandoned.</summary>
    public string? RecordId { get; init; }

    /// <summary>How long to wait for a live holder (-LockTimeout); zero fails at once with DeploymentLocked.</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.Zero;

    /// <summary>Refuses a negative wait.</summary>
    public LockRequest Validate()
    {
        RequireWait(Wait);
        return this;
    }

    /// <summary>Refuses a negative wait (InvalidLockTimeout), before anything is asked of the cluster.</summary>
    public static void RequireWait(TimeSpan wait)
    {
        if (wait < TimeSpan.Zero)
        {
            throw new DeployException(StateErrors.InvalidLockTimeout, DeployErrorCategory.InvalidArgument,
                $"-LockTimeout {DurationParser.Format(wait)} is negative. Pass how long to wait for the environment's lock (e.g. 5m), or 0 to fail at once when it is held.", wait);
        }
    }
}
