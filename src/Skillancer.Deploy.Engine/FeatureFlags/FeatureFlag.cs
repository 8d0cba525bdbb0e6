namespace Skillancer.Deploy.Engine.FeatureFlags;

/// <summary>A feature flag as the feature-flag API reports it.</summary>
public sealed record FeatureFlag
{
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
}

/// <summary>A change to one flag, as the runbook's POST body says it: on, off (the kill switch), or a rollout percentage.</summary>
/// <param name="Name">The flag.</param>
/// <param name="Enabled">On or off; null when only the percentage changes.</param>
/// <param name="RolloutPercentage">0–100; null when only on/off changes.</param>
public sealed record FeatureFlagChange(string Name, bool? Enabled, int? RolloutPercentage);
