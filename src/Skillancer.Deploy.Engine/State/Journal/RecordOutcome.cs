using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>A result that can say how its action ended, for the journal: each engine result type implements it.</summary>
public interface IRecordedResult
{
    /// <summary>The status and steps to record.</summary>
    RecordOutcome ToRecordOutcome();
}

/// <summary>How an action ended, as its record keeps it: the status, the steps and the error that ended it.</summary>
/// <param name="Status">Succeeded, Failed, RolledBack or Abandoned.</param>
/// <param name="Steps">Each step, in order.</param>
public sealed record RecordOutcome(RecordStatus Status, IReadOnlyList<RecordStep> Steps)
{
    /// <summary>The error that ended the action, if one did.</summary>
    public string? Error { get; init; }

    /// <summary>Its id.</summary>
    public string? ErrorId { get; init; }

    /// <summary>The version the action turned out to work on, for an action that did not name one (a canary's weight or promotion).</summary>
    public string? Version { get; init; }

    /// <summary>What the journal adds about how it ended.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>What the action measured, as the record's charts.</summary>
    public IReadOnlyList<RecordChart> Charts { get; init; } = [];

    /// <summary>
    /// The outcome of steps: Succeeded when none failed; RolledBack when one failed and undo steps followed, none of
    /// them failing; Failed otherwise.
    /// </summary>
    public static RecordOutcome OfSteps(IReadOnlyList<RecordStep> steps)
    {
        if (!steps.Any(s => s.Failed))
        {
            return new RecordOutcome(RecordStatus.Succeeded, steps);
        }

        var undone = steps.Any(s => s.Undo) && steps.Where(s => s.Undo).All(s => !s.Failed) && steps.Any(s => s.Failed && !s.Undo);
        return new RecordOutcome(undone ? RecordStatus.RolledBack : RecordStatus.Failed, steps);
    }

    /// <summary>
    /// The outcome of what an action returned: its own (<see cref="IRecordedResult"/>), the steps of a list of them,
    /// or, for null (every change declined at the -Confirm prompt), Abandoned with nothing changed.
    /// </summary>
    public static RecordOutcome Of(object? result) => result switch
    {
        null => new RecordOutcome(RecordStatus.Abandoned, []) { Notes = ["Declined at the prompt: nothing was changed."] },
        IRecordedResult recorded => recorded.ToRecordOutcome(),
        IEnumerable<IRecordedResult> many => OfSteps(many.SelectMany(r => r.ToRecordOutcome().Steps).ToList()),
        _ => new RecordOutcome(RecordStatus.Succeeded, []),
    };

    /// <summary>The outcome of an action stopped by <paramref name="error"/>: Failed; Abandoned when it was cancelled (Ctrl+C).</summary>
    public static RecordOutcome Of(Exception error) => error switch
    {
        DeployException e => new RecordOutcome(RecordStatus.Failed, []) { Error = e.Message, ErrorId = e.ErrorId },
        OperationCanceledException => new RecordOutcome(RecordStatus.Abandoned, []) { Notes = ["Stopped before the end (Ctrl+C or the host stopped it)."] },
        _ => new RecordOutcome(RecordStatus.Failed, []) { Error = error.Message, ErrorId = error.GetType().Name },
    };
}
