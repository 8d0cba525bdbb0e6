using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>One traffic step of a progressive canary: its weight, how its analyses went, and how it ended.</summary>
/// <param name="Step">Its number, from 1.</param>
/// <param name="Weight">The canary's share of traffic, in percent.</param>
/// <param name="Verdict">The verdict that ended it: Pass (promoted to the next step), Fail or Inconclusive (aborted).</param>
/// <param name="Checks">How many analyses it had.</param>
/// <param name="Extensions">How many times it was watched again because it could not pass.</param>
/// <param name="Duration">How long it ran.</param>
/// <param name="Detail">The last analysis, in words.</param>
public sealed record CanaryStepResult(int Step, int Weight, CanaryVerdict Verdict, int Checks, int Extensions, TimeSpan Duration, string Detail)
{
    /// <summary>When the step started (its weight was set); null when its record did not say.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The step's name in the record: <c>canary step 2 (25%)</c>.</summary>
    public static string StepName(int step, int weight) => $"canary step {step} ({weight}%)";

    /// <summary>The step as its record keeps it: Passed, or Failed / Inconclusive (a failed step).</summary>
    public RecordStep ToRecordStep() => new()
    {
        Name = StepName(Step, Weight),
        Status = Verdict == CanaryVerdict.Pass ? "Passed" : Verdict.ToString(),
        Failed = Verdict != CanaryVerdict.Pass,
        StartedAt = StartedAt,
        Duration = Duration,
        Detail = Checks == 0 ? Detail : $"{Checks} analyses{(Extensions > 0 ? $", extended {Extensions} time(s)" : "")}; last: {Detail}",
    };

    /// <summary>A step a resumed canary found ended in its record: carried as it ended, not watched again.</summary>
    public static CanaryStepResult Carried(RecordStep step, int number, int weight) =>
        new(number, weight, step.Failed ? (Enum.TryParse<CanaryVerdict>(step.Status, out var verdict) ? verdict : CanaryVerdict.Fail) : CanaryVerdict.Pass,
            0, 0, step.Duration ?? TimeSpan.Zero, step.Detail.StartsWith("Before the resume: ", StringComparison.Ordinal) ? step.Detail : $"Before the resume: {step.Detail}")
        {
            StartedAt = step.StartedAt,
        };
}
