using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.FeatureFlags;

/// <summary>A feature flag as the feature-flag API reports it.</summary>
public sealed record FeatureFlag
 : IRecordedResult{
    /// <summary>The environment whose API answered.</summary>
    public required string Environment { get; init; }

    /// <summary>The flag's name, e.g. <c>new_dashboard</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the flag is on.</summary>
    public required bool Enabled { get; init; }

    /// <summary>The share of users who get the feature, 0–100, when the API reports one.</summary>
    public int? RolloutPercentage { get; init; }

    /// <summary>When the flag last changed (UTC), when the API reports it.</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <inheritdoc/>
    public RecordOutcome ToRecordOutcome() => RecordOutcome.OfSteps([
        new RecordStep { Name = $"flag {Name}", Status = Enabled ? "On" : "Off", Detail = RolloutPercentage is { } share ? $"{Name} {(Enabled ? "on" : "off")}, {share}% of users" : $"{Name} {(Enabled ? "on" : "off")}" },
    ]);
}

/// <summary>A change to one flag, as the runbook's POST body says it: on, off (the kill switch), or a rollout percentage.</summary>
/// <param name="Name">The flag.</param>
/// <param name="Enabled">On or off; null when only the percentage changes.</param>
/// <param name="RolloutPercentage">0–100; null when only on/off changes.</param>
public sealed record FeatureFlagChange(string Name, bool? Enabled, int? RolloutPercentage)
{
    /// <summary>Checks the change before anything is sent: a flag name, and exactly one of on/off or a percentage in 0..100.</summary>
    public FeatureFlagChange Validate()
    {
        var problem = string.IsNullOrWhiteSpace(Name) ? "it names no flag; pass -Name"
            : (Enabled is null) == (RolloutPercentage is null) ? "it must either switch the flag (-Enabled or -Enabled:$false) or set -RolloutPercentage, not both or neither"
            : RolloutPercentage is < 0 or > 100 ? $"-RolloutPercentage {RolloutPercentage} is outside 0..100; pass a share of users from 0 to 100"
            : null;
        return problem is null
            ? this
            : throw new Primitives.DeployException(FeatureFlagErrors.InvalidChange, Primitives.DeployErrorCategory.InvalidArgument, $"The change to flag '{Name}' cannot be sent: {problem}.", Name);
    }
}
