using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.FeatureFlags;

/// <summary>One flag change in one environment, checked whole by <see cref="Validate"/> before the policy is asked.</summary>
/// <param name="Environment">The environment whose feature-flag API is called.</param>
/// <param name="Change">On, off or a rollout percentage.</param>
/// <param name="SkipCertificateCheck">Accept any TLS certificate from the API.</param>
public sealed record FeatureFlagSetRequest(EnvironmentConfig Environment, FeatureFlagChange Change, bool SkipCertificateCheck)
{
    /// <summary>The flag as it was read (piped from Get-SkFeatureFlag), when the change starts from one; it must be this environment's flag of this name.</summary>
    public FeatureFlag? From { get; init; }

    /// <summary>Turning a flag off is the runbook's kill switch, a recovery action; anything else is a change.</summary>
    public StepKind Kind => Change.Enabled == false ? StepKind.Recovery : StepKind.Change;

    /// <summary>
    /// Checks the change, that the environment has a feature-flag API and its token is set, and that a flag it
    /// starts from is this environment's flag of this name (TargetMismatch otherwise); throws the first problem.
    /// </summary>
    public FeatureFlagSetRequest Validate()
    {
        Change.Validate();
        FeatureFlagApi.Connection(Environment);
        if (From is { } flag && (!string.Equals(flag.Environment, Environment.Name, StringComparison.OrdinalIgnoreCase) || !string.Equals(flag.Name, Change.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw TargetMismatch.Refuse(
                $"The flag given was read as '{flag.Name}' in '{flag.Environment}', but this command changes '{Change.Name}' in '{Environment.Name}'. Nothing was changed. Pipe the flag without -Environment and -Name, or name the flag and environment you mean without piping.",
                Environment.Name);
        }

        return this;
    }
}

/// <summary>
/// Set-SkFeatureFlag's entry point, the runbook's flag POST: checks the request and the admission, asks
/// ShouldProcess (-WhatIf sends nothing), sends the change and returns the flag's new state.
/// </summary>
public static class FeatureFlagSetter
{
    /// <summary>Sends <paramref name="request"/>'s change once admitted and confirmed: the flag's new state, or null when declined.</summary>
    public static async Task<FeatureFlag?> SetAsync(FeatureFlagSetRequest request, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        request.Validate();
        admission.Require(request.Environment, request.Kind);
        var change = request.Change;
        var action = change.Enabled switch
        {
            true => "Enable for all users",
            false => "Disable (kill switch)",
            null => $"Roll out to {change.RolloutPercentage}% of users",
        };
        using var api = FeatureFlagApi.Open(request.Environment, request.SkipCertificateCheck, host);
        return host.ShouldProcess(api.Target(change.Name), action) == Approval.Approved
            ? await api.SetAsync(change, cancellationToken).ConfigureAwait(false)
            : null;
    }
}
