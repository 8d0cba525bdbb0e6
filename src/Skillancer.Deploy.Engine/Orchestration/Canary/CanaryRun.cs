using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>
/// Invoke-SkCanary's result: how the canary ended, each traffic step, and every analysis sample (time, weight, the
/// canary's and stable's error ratio and p95, the p-value and the verdict).
/// </summary>
public sealed record CanaryRun : IRecordedResult
{
    /// <summary>The journal record that keeps the run.</summary>
    public required string Id { get; init; }

    /// <summary>The environment.</summary>
    public required string Environment { get; init; }

    /// <summary>The service.</summary>
    public required string Service { get; init; }

    /// <summary>The canary's version (its image tag).</summary>
    public required string Version { get; init; }

    /// <summary>The image stable ran before the canary.</summary>
    public required string StableImage { get; init; }

    /// <summary>How it ended.</summary>
    public required CanaryOutcome Outcome { get; init; }

    /// <summary>The canary's share of traffic when it ended (0 once aborted; 100 once promoted).</summary>
    public required int Weight { get; init; }

    /// <summary>Why it ended so, in words.</summary>
    public required string Reason { get; init; }

    /// <summary>When the canary started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>How long it took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Each traffic step it reached.</summary>
    public required IReadOnlyList<CanaryStepResult> Steps { get; init; }

    /// <summary>Every analysis, in order.</summary>
    public required IReadOnlyList<CanarySample> Samples { get; init; }

    /// <summary>The analyses as the record's charts: error ratio and p95, canary against stable, steps and decision marked.</summary>
    public IReadOnlyList<RecordChart> Charts { get; init; } = [];

    /// <summary>What else happened: a notice that could not be sent.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The error an aborted canary ends with (CanaryAborted); null when it was promoted.</summary>
    public DeployException? Failure { get; init; }

    /// <summary>The start, each step, then the promotion or the abort (an undo step); the deciding analysis in the abort's detail.</summary>
    public RecordOutcome ToRecordOutcome()
    {
        List<RecordStep> steps = [StartStep(Service, Version, StableImage), .. Steps.Select(s => s.ToRecordStep())];
        steps.Add(Outcome switch
        {
            CanaryOutcome.Promoted => new RecordStep { Name = $"canary promote {Service}", Status = "Promoted", Detail = Reason },
            CanaryOutcome.Aborted => new RecordStep { Name = AbortStep(Service), Status = "Aborted", Undo = true, Detail = Reason },
            _ => new RecordStep { Name = $"canary {Service}", Status = "Declined", Failed = true, Detail = Reason },
        });
        return RecordOutcome.OfSteps(steps) with { Version = Version, Notes = Notes, Charts = Charts };
    }

    /// <summary>The canary's start, as its record keeps it once the canary runs.</summary>
    public static RecordStep StartStep(string service, string version, string stableImage) =>
        new() { Name = StartName(service, version), Status = "Started", Detail = $"stable {stableImage}" };

    /// <summary>The start step's name: <c>canary start web v1.2.3</c>.</summary>
    public static string StartName(string service, string version) => $"canary start {service} {version}";

    /// <summary>The abort step's name: <c>canary abort web</c>.</summary>
    public static string AbortStep(string service) => $"canary abort {service}";
}
