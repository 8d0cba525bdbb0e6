namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// The caller of an engine operation: where it reports what it does, what it warns about and how
/// far it has come, and whom it asks before it changes anything. Engine code may call it from any
/// thread; the PowerShell layer marshals each call to the pipeline thread. It is a sealed class
/// built from delegates (not an interface) so the cmdlet assembly never implements an engine type.
/// </summary>
public sealed class OperationHost
{
    private readonly Action<string> _verbose;
    private readonly Action<string> _warning;
    private readonly Action<ProgressUpdate> _progress;
    private readonly Func<string, string, Approval> _shouldProcess;

    /// <summary>A host that discards every report and approves every change.</summary>
    public static OperationHost Silent { get; } = new(_ => { }, _ => { }, _ => { });

    /// <summary>
    /// Creates a host from its sinks; without <paramref name="shouldProcess"/> every change is approved, and
    /// <paramref name="describeOnly"/> is -WhatIf.
    /// </summary>
    public OperationHost(
        Action<string> verbose, Action<string> warning, Action<ProgressUpdate> progress, Func<string, string, Approval>? shouldProcess = null, bool describeOnly = false)
    {
        _verbose = verbose;
        _warning = warning;
        _progress = progress;
        _shouldProcess = shouldProcess ?? ((_, _) => Approval.Approved);
        DescribeOnly = describeOnly;
    }

    /// <summary>True under -WhatIf: changes are only described, and nobody is asked anything.</summary>
    public bool DescribeOnly { get; }

    /// <summary>What the engine is doing: a request, a command, a file name.</summary>
    public void Verbose(string message) => _verbose(Secret.Redact(message));

    /// <summary>A risk the user should know about.</summary>
    public void Warning(string message) => _warning(Secret.Redact(message));

    /// <summary>How far a long operation has come.</summary>
    public void Progress(ProgressUpdate update) => _progress(update with { Status = Secret.Redact(update.Status) });

    /// <summary>
    /// This host, with every progress bar of another activity shown as a child of <paramref name="parentActivity"/>: the
    /// steps of a procedure (rollouts, the watch) under the procedure's own bar.
    /// </summary>
    public OperationHost Within(string parentActivity) =>
        new(_verbose, _warning, update => _progress(update.ParentActivity is null && update.Activity != parentActivity ? update with { ParentActivity = parentActivity } : update),
            _shouldProcess, DescribeOnly);

    /// <summary>
    /// Asks before a change: <paramref name="action"/> (e.g. "Push release/v1.2.3 to origin") on
    /// <paramref name="target"/> (e.g. the repository). The answer says whether to make the change,
    /// to skip it because the user only asked what would happen, or to stop.
    /// </summary>
    public Approval ShouldProcess(string target, string action) => _shouldProcess(target, action);
}

/// <summary>The user's answer to a change the engine is about to make.</summary>
public enum Approval
{
    /// <summary>Make the change.</summary>
    Approved,
    /// <summary>The user declined (answered No to -Confirm): make no further changes.</summary>
    Declined,
    /// <summary>-WhatIf: the change was described and must not be made; describing the next ones is fine.</summary>
    WhatIf,
}
