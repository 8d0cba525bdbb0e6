namespace Skillancer.Deploy.Engine.Notifications;

/// <summary>What New-SkDeploymentNotice was given for one notice: its parameters and what was piped in.</summary>
/// <param name="Kind">Which template.</param>
public sealed record NoticeRequest(NoticeKind Kind)
{
    /// <summary>Complete, Started and Emergency: the version.</summary>
    public string? Version { get; init; }

    /// <summary>The environment the notice is about; Started and Emergency need it.</summary>
    public string? Environment { get; init; }

    /// <summary>Rollback: the service rolled back.</summary>
    public string? Service { get; init; }

    /// <summary>Rollback: the version rolled back from.</summary>
    public string? FromVersion { get; init; }

    /// <summary>Rollback: the version rolled back to.</summary>
    public string? ToVersion { get; init; }

    /// <summary>Rollback and Emergency: why.</summary>
    public string? Reason { get; init; }

    /// <summary>The time the notice states.</summary>
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The services deployed; none means all.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>How many services the environment has (0 when unknown), to tell "all" from a list.</summary>
    public int ServiceCount { get; init; }

    /// <summary>Complete: the health checks that ran.</summary>
    public IReadOnlyList<(string Service, bool Healthy)> Health { get; init; } = [];

    /// <summary>Complete: the post-deployment metrics review in a line (Compare-SkDeploymentMetric's), when it was measured.</summary>
    public string? Metrics { get; init; }

    /// <summary>Complete: the key changes given or piped in; null to read them from the version's CHANGELOG.md section.</summary>
    public IReadOnlyList<string>? KeyChanges { get; init; }

    /// <summary>Complete: a folder in the repository whose changelog is read.</summary>
    public string Folder { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Complete: the changelog file, when not the repository's CHANGELOG.md.</summary>
    public string? ChangelogPath { get; init; }
}
