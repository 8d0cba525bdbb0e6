using System.Collections.Concurrent;
using System.Management.Automation;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy;

/// <summary>
/// The base of every Skillancer.Deploy cmdlet. It runs async engine code with a cancellation
/// token that Ctrl+C trips, brings the engine's verbose, warning and progress calls back to the
/// pipeline thread, and turns failures into ErrorRecords with specific ids and no stack traces.
/// </summary>
public abstract class DeployCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(150);
    private readonly Dictionary<string, (int Id, long LastTicks)> _progress = new(StringComparer.Ordinal);
    private Action<Action>? _post;

    /// <summary>Tripped when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Runs before the first input object.</summary>
    protected virtual void BeforeInput() { }

    /// <summary>Runs once per input object.</summary>
    protected virtual void ProcessInput() { }

    /// <summary>Runs after the last input object.</summary>
    protected virtual void AfterInput() { }

    /// <inheritdoc/>
    protected sealed override void BeginProcessing() => Guard(BeforeInput, perInput: false);

    /// <summary>A failure of one input object is reported and the next one goes on (WriteError).</summary>
    protected sealed override void ProcessRecord() => Guard(ProcessInput, perInput: true);

    /// <inheritdoc/>
    protected sealed override void EndProcessing() => Guard(AfterInput, perInput: false);

    /// <inheritdoc/>
    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>
    /// Runs an engine operation off the pipeline thread and pumps its reports and questions onto
    /// this thread until it finishes. Never blocks the pipeline thread on a task that needs it.
    /// </summary>
    protected T Await<T>(Func<OperationHost, CancellationToken, Task<T>> operation)
    {
        using var pending = new BlockingCollection<Action>();
        void Post(Action action)
        {
            try
            {
                pending.Add(action);
            }
            catch (InvalidOperationException)
            {
                // The operation has finished; a late report has nowhere to go.
            }
        }

        // The engine thread waits for the answer while the pipeline thread asks the user.
        Approval Ask(string target, string action)
        {
            var answer = new TaskCompletionSource<Approval>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(() =>
            {
                try
                {
                    answer.SetResult(Approve(target, action));
                }
                catch (Exception e)
                {
                    answer.SetException(e);
                    throw;
                }
            });
            return answer.Task.GetAwaiter().GetResult();
        }

        _post = Post;
        var host = new OperationHost(
            message => Post(() => WriteVerbose(message)),
            message => Post(() => WriteWarning(message)),
            update => Post(() => WriteProgressThrottled(update)),
            Ask,
            describeOnly: DescribeOnly);
        var task = Task.Run(() => operation(host, CancellationToken), CancellationToken);
        task.ContinueWith(_ => pending.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            foreach (var action in pending.GetConsumingEnumerable())
            {
                action();
            }
        }
        finally
        {
            _post = null;
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Writes an object to the pipeline from any thread while an <see cref="Await{T}"/> operation runs,
    /// so that a long operation (a watch) streams its results as they come.
    /// </summary>
    protected void Emit(object item)
    {
        var post = _post ?? throw new InvalidOperationException("Emit is only for use while Await runs.");
        post(() => WriteObject(item));
    }

    /// <summary>
    /// ShouldProcess, answered as the engine needs it: approved, declined, or only described (-WhatIf).
    /// Cmdlets without SupportsShouldProcess approve everything.
    /// </summary>
    protected Approval Approve(string target, string action)
    {
        if (!ConfirmByDefault && !AskedToConfirm)
        {
            WriteVerbose($"{action} on {target}");
            return Approval.Approved;
        }

        var description = $"Performing the operation \"{action}\" on target \"{target}\".";
        try
        {
            var approved = ShouldProcess(description, $"Are you sure you want to perform this action?\n{description}", "Confirm", out var reason);
            return approved ? Approval.Approved : reason == ShouldProcessReason.WhatIf ? Approval.WhatIf : Approval.Declined;
        }
        catch (Exception e) when (e is PSInvalidOperationException or System.Management.Automation.Host.HostException)
        {
            throw PolicyErrors.ConfirmationRequired(MyInvocation.MyCommand.Name, target, "-Confirm:$false", $"to {action}");
        }
    }

    /// <summary>
    /// Asks the user a yes/no question (the confirmation of a change to an environment that requires approval). A
    /// host that cannot prompt (pwsh -NonInteractive) gets <see cref="Confirmation.NoOneToAsk"/>.
    /// </summary>
    protected Confirmation AskToConfirm(string target, string question)
    {
        try
        {
            return ShouldContinue(question, $"Approval required: {target}") ? Confirmation.Yes : Confirmation.No;
        }
        catch (Exception e) when (e is PSInvalidOperationException or System.Management.Automation.Host.HostException)
        {
            WriteDebug($"The host cannot prompt: {e.Message}");
            return Confirmation.NoOneToAsk;
        }
    }

    /// <summary>-WhatIf given (as a switch or through $WhatIfPreference): changes are only described.</summary>
    protected bool DescribeOnly =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? whatIf is SwitchParameter { IsPresent: true } or true
            : GetVariableValue("WhatIfPreference") is true or SwitchParameter { IsPresent: true };

    /// <summary>
    /// False for changes to an environment that does not require approval (staging): they go ahead
    /// without a prompt, even with ConfirmImpact High, unless -Confirm or -WhatIf is given.
    /// </summary>
    protected bool ConfirmByDefault { get; set; } = true;

    // -WhatIf or -Confirm given (as switches or through their preference variables).
    private bool AskedToConfirm =>
        MyInvocation.BoundParameters.ContainsKey("WhatIf") || MyInvocation.BoundParameters.ContainsKey("Confirm")
        || GetVariableValue("WhatIfPreference") is true or SwitchParameter { IsPresent: true };

    /// <summary>Reports a failure of one input object and carries on with the next.</summary>
    protected void WriteError(DeployException exception) => WriteError(ErrorRecords.From(exception));

    /// <summary>
    /// Writes what a gate found, as every gate cmdlet does: its results, then its one error when it failed; with
    /// <paramref name="quiet"/> (-Quiet), only whether it passed (<paramref name="passed"/>, when the cmdlet knows more
    /// than the gate: an input it refused).
    /// </summary>
    protected void WriteGate<T>(Engine.Verification.GateResult<T> gate, bool quiet, bool? passed = null)
    {
        if (quiet)
        {
            WriteObject(passed ?? gate.Passed);
            return;
        }

        WriteObjects(gate.Results);
        if (gate.Failure is { } failure)
        {
            WriteError(failure);
        }
    }

    /// <summary>Emits each item of a sequence to the pipeline.</summary>
    protected void WriteObjects<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            WriteObject(item);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    // Before and after the input, a failure ends the command; for one input object it is written
    // as a (non-terminating) error, so that the next input object still gets its turn.
    private void Guard(Action step, bool perInput)
    {
        try
        {
            step();
        }
        catch (DeployException e)
        {
            WriteDetail(e);
            if (perInput)
            {
                WriteError(ErrorRecords.From(e));
                return;
            }

            ThrowTerminatingError(ErrorRecords.From(e));
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception e) when (e is not RuntimeException and not PipelineStoppedException)
        {
            WriteDetail(e);
            ThrowTerminatingError(ErrorRecords.Unexpected(e, MyInvocation.MyCommand.Name));
        }
    }

    private void WriteDetail(Exception e)
    {
        // The full detail stays available to -Debug without ever reaching the user's screen by default.
        WriteDebug(Secret.Redact(e.ToString()));
    }

    // A progress bar is redrawn at most every 150 ms; the record that closes it always gets through.
    private void WriteProgressThrottled(ProgressUpdate update)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!_progress.TryGetValue(update.Activity, out var state))
        {
            state = (_progress.Count + 1, 0);
        }
        else if (!update.Completed && System.Diagnostics.Stopwatch.GetElapsedTime(state.LastTicks, now) < ProgressInterval)
        {
            return;
        }

        _progress[update.Activity] = (state.Id, now);
        WriteProgress(new ProgressRecord(state.Id, update.Activity, string.IsNullOrEmpty(update.Status) ? update.Activity : update.Status)
        {
            PercentComplete = Math.Clamp(update.PercentComplete, -1, 100),
            SecondsRemaining = update.SecondsRemaining,
            RecordType = update.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            ParentActivityId = update.ParentActivity is { } parent && _progress.TryGetValue(parent, out var bar) ? bar.Id : -1,
        });
    }
}

/// <summary>The answer to <see cref="DeployCmdlet.AskToConfirm"/>.</summary>
public enum Confirmation
{
    /// <summary>The user said yes.</summary>
    Yes,

    /// <summary>The user said no.</summary>
    No,

    /// <summary>Nobody can answer: the host is non-interactive.</summary>
    NoOneToAsk,
}
