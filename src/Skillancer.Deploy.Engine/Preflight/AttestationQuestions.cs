namespace Skillancer.Deploy.Engine.Preflight;

/// <summary>
/// What an interactive host asks before the checklist runs: each item only a person answers here, and that the request
/// does not attest yet, in the runbook's order. A yes and a reason (the request's, or asked once) attest it, as -Attest
/// -Reason would, and the journal records it with the identity; a no leaves it to fail, saying how to attest it.
/// </summary>
public static class AttestationQuestions
{
    /// <summary>
    /// The request with the items answered yes attested. <paramref name="confirm"/> asks the item's question (true for
    /// yes); <paramref name="reason"/> asks why it holds, once, when the request has no reason yet.
    /// </summary>
    public static PreflightRequest Ask(PreflightRequest request, Func<PreflightItem, string, bool> confirm, Func<PreflightItem, string?> reason)
    {
        var attest = request.Attest.ToList();
        var given = request.Reason;
        foreach (var check in PreflightChecklist.Unattested(request))
        {
            if (!confirm(check.Item, $"No system answers \"{check.Checklist}\" for {request.Environment.Name} here. Did you check it yourself?"))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(given))
            {
                given = reason(check.Item);
            }

            if (!string.IsNullOrWhiteSpace(given))
            {
                attest.Add(check.Item);
            }
        }

        return attest.Count == request.Attest.Count ? request : request with { Attest = attest, Reason = given };
    }
}
