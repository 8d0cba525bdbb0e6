namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>
/// "On-call engineer available". No on-call provider is asked yet, so a person attests it (-Attest OnCall -Reason),
/// and the journal keeps their word; without that it Fails.
/// </summary>
public sealed class OnCallCheck : PreflightCheck
{
    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.OnCall;

    /// <inheritdoc/>
    public override bool AnsweredByPerson => true;

    /// <summary>What an unattested on-call item says: whom to ask, and how to attest.</summary>
    public override Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken) =>
        Task.FromResult(PreflightVerdict.Failed(
            $"No system answers whether an on-call engineer is available for {context.Environment.Name} now and through the monitoring period " +
            $"({Primitives.DurationParser.Format(context.Environment.Monitor.Duration)}). Check the on-call schedule, then attest it: -Attest OnCall -Reason '<who is on call>'."));
}
