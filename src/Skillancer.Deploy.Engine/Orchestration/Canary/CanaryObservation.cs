namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>What Prometheus gave for one interval of a canary: each track's per-scrape samples, and the canary's traffic in the step so far.</summary>
/// <param name="CanaryErrorRatios">The canary track's error ratio, one value per scrape.</param>
/// <param name="StableErrorRatios">Stable's, over the same interval.</param>
/// <param name="CanaryLatencies">The canary's p95 latency in seconds, one value per scrape; empty without a histogram.</param>
/// <param name="StableLatencies">Stable's.</param>
/// <param name="CanaryRequests">The canary's requests since its step began.</param>
/// <param name="Unknown">Why a track had no error ratio at all, if it had none.</param>
public sealed record CanaryObservation(
    IReadOnlyList<double> CanaryErrorRatios,
    IReadOnlyList<double> StableErrorRatios,
    IReadOnlyList<double> CanaryLatencies,
    IReadOnlyList<double> StableLatencies,
    double CanaryRequests,
    string? Unknown = null);
