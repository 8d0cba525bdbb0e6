namespace Skillancer.Deploy.Engine.Verification;

/// <summary>What one service's health endpoint answered.</summary>
public sealed record HealthResult
{
    /// <summary>The environment the service runs in.</summary>
    public required string Environment { get; init; }

    /// <summary>The service's name.</summary>
    public required string Service { get; init; }

    /// <summary>The name people use, e.g. API Gateway.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The endpoint that was checked.</summary>
    public required Uri Url { get; init; }

    /// <summary>True when the last attempt answered with a 2xx status.</summary>
    public required bool Healthy { get; init; }

    /// <summary>The HTTP status of the last attempt, or null if no answer came.</summary>
    public int? StatusCode { get; init; }

    /// <summary>How long the last attempt took, in milliseconds.</summary>
    public required double LatencyMs { get; init; }

    /// <summary>How many attempts were made.</summary>
    public required int Attempts { get; init; }

    /// <summary>Why the service is not healthy, or null.</summary>
    public string? Error { get; init; }

    /// <summary>When the last attempt finished, in UTC.</summary>
    public required DateTimeOffset CheckedAt { get; init; }
}
