namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>One traffic step of a progressive canary: its weight, how its analyses went, and how it ended.</summary>
/// <param name="Step">Its number, from 1.</param>
/// <param name="Weight">The canary's share of traffic, in percent.</param>
/// <param name="Verdict">The verdict that ended it: Pass (promoted to the next step), Fail or Inconclusive (aborted).</param>
/// <param name="Checks">How many analyses it had.</param>
/// <param name="Extensions">How many times it was watched again because it could not pass.</param>
/// <param name="Duration">How long it ran.</param>
/// <param name="Detail">The last analysis, in words.</param>
public sealed record CanaryStepResult(int Step, int Weight, CanaryVerdict Verdict, int Checks, int Extensions, TimeSpan Duration, string Detail);
