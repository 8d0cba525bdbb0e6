namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// Where engine code reports what it does, what it warns about, and how far it has come.
/// Engine code may call it from any thread; the PowerShell layer marshals the calls to the
/// pipeline thread. It is a sealed class built from delegates (not an interface) so the cmdlet
/// assembly never has to implement an engine type.
/// </summary>
public sealed class OperationLog
{
    private readonly Action<string> _verbose;
    private readonly Action<string> _warning;
    private readonly Action<ProgressUpdate> _progress;

    /// <summary>A log that discards everything.</summary>
    public static OperationLog None { get; } = new(_ => { }, _ => { }, _ => { });

    /// <summary>Creates a log from three sinks.</summary>
    public OperationLog(Action<string> verbose, Action<string> warning, Action<ProgressUpdate> progress)
    {
        _verbose = verbose;
        _warning = warning;
        _progress = progress;
    }

    /// <summary>What the engine is doing: a request, a command, a file name.</summary>
    public void Verbose(string message) => _verbose(Secret.Redact(message));

    /// <summary>A risk the user should know about.</summary>
    public void Warning(string message) => _warning(Secret.Redact(message));

    /// <summary>How far a long operation has come.</summary>
    public void Progress(ProgressUpdate update) => _progress(update with { Status = Secret.Redact(update.Status) });
}
