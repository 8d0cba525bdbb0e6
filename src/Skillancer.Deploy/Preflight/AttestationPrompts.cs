using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using Skillancer.Deploy.Engine.Preflight;

namespace Skillancer.Deploy.Preflight;

/// <summary>
/// The host's side of the engine's attestation questions (<see cref="AttestationQuestions"/>): a Yes/No choice per
/// item, and the reason, asked on the user's PowerShell host. A host that cannot ask (pwsh -NonInteractive, a runner)
/// leaves the request as it was: the items then fail, saying how to attest them.
/// </summary>
internal sealed class AttestationPrompts(PSHostUserInterface ui, Action<string> debug)
{
    /// <summary>The request with what the user attested at the prompts.</summary>
    public PreflightRequest Ask(PreflightRequest request)
    {
        try
        {
            return AttestationQuestions.Ask(request, Confirm, AskReason);
        }
        catch (Exception e) when (e is PSInvalidOperationException or HostException or NotImplementedException)
        {
            debug($"The host cannot ask: {e.Message}");
            return request;
        }
    }

    private bool Confirm(PreflightItem item, string question)
    {
        var choices = new Collection<ChoiceDescription>
        {
            new("&Yes", $"I checked it: attest {item}, recorded in the journal with my identity."),
            new("&No", $"Leave {item} unattested: it fails."),
        };
        return ui.PromptForChoice($"Attest {item}", question, choices, 1) == 0;
    }

    private string? AskReason(PreflightItem item)
    {
        var field = new FieldDescription("Reason") { HelpMessage = "Why it holds: who is on call, what you checked." };
        var answers = ui.Prompt($"Attest {item}", "Why does it hold? (recorded in the journal)", [field]);
        return answers.TryGetValue("Reason", out var answer) ? answer?.BaseObject?.ToString() : null;
    }
}
