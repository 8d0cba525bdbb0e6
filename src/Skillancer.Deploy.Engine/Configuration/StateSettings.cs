namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>
/// How an environment's deployment state is kept in its cluster: the lock's lease duration
/// (<c>lock.leaseDuration</c>) and how many journal records are kept (<c>journal.keep</c>); both
/// usually set once under <c>defaults</c>.
/// </summary>
/// <param name="LeaseDuration">How long a lock holder that stopped renewing keeps the environment; whole seconds, at least 1.</param>
/// <param name="JournalKeep">The deployment records kept per environment; older ones are pruned.</param>
public sealed record StateSettings(TimeSpan LeaseDuration, int JournalKeep)
{
    /// <summary>60 s and 100 records, as the configuration contract says.</summary>
    public static StateSettings Default { get; } = new(TimeSpan.FromSeconds(60), 100);
}
