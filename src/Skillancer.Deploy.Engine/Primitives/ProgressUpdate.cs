namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>One step of a long operation, shown with Write-Progress.</summary>
/// <param name="Activity">What is going on, e.g. "Checking health".</param>
/// <param name="Status">The current step, e.g. "3 of 5 services answered".</param>
/// <param name="PercentComplete">0–100, or -1 when unknown.</param>
/// <param name="SecondsRemaining">Seconds left, or -1 when unknown.</param>
/// <param name="Completed">True for the last update, which closes the progress bar.</param>
/// <param name="ParentActivity">The activity this one is a part of, shown as its child bar (a rollout within a deployment run); null for a top-level bar.</param>
public sealed record ProgressUpdate(
    string Activity,
    string Status,
    int PercentComplete = -1,
    int SecondsRemaining = -1,
    bool Completed = false,
    string? ParentActivity = null);
