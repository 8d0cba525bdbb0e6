// A PowerShell host whose user answers prompts from a script: what an interactive session looks like to a cmdlet that
// asks (PromptForChoice, Prompt), without a terminal. Tests compile it with Add-Type and run commands in a runspace on it.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

public sealed class AnsweringHost : PSHost
{
    private readonly AnsweringUserInterface _ui;

    /// <summary>A host whose user picks <paramref name="choices"/> in turn and types <paramref name="answers"/> in turn.</summary>
    public AnsweringHost(int[] choices, string[] answers) { _ui = new AnsweringUserInterface(choices, answers); }

    /// <summary>Every question asked, as "caption: message".</summary>
    public IReadOnlyList<string> Asked => _ui.Asked;
    public IReadOnlyList<ProgressRecord> Progress => _ui.Progress;

    public override string Name => "AnsweringHost";
    public override Version Version { get; } = new Version(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}

public sealed class AnsweringUserInterface : PSHostUserInterface
{
    private readonly Queue<int> _choices;
    private readonly Queue<string> _answers;

    public AnsweringUserInterface(int[] choices, string[] answers)
    {
        _choices = new Queue<int>(choices);
        _answers = new Queue<string>(answers);
    }

    public List<string> Asked { get; } = new List<string>();
    public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();

    public override PSHostRawUserInterface RawUI => null;

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        Asked.Add(caption + ": " + message);
        return _choices.Count > 0 ? _choices.Dequeue() : throw new InvalidOperationException("The script has no more choices: " + message);
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        Asked.Add(caption + ": " + message);
        var fields = new Dictionary<string, PSObject>();
        foreach (var field in descriptions) fields[field.Name] = new PSObject(_answers.Dequeue());
        return fields;
    }

    public override string ReadLine() => _answers.Dequeue();
    public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
    public override void Write(string value) { }
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
    public override void WriteLine(string value) { }
    public override void WriteErrorLine(string value) { }
    public override void WriteDebugLine(string message) { }
    public override void WriteProgress(long sourceId, ProgressRecord record) { lock (Progress) { Progress.Add(record); } }
    public override void WriteVerboseLine(string message) { }
    public override void WriteWarningLine(string message) { }
}
