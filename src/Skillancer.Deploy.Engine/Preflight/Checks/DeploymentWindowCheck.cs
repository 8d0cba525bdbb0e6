using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Schedule;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>"Deployment window confirmed": Test-SkDeploymentWindow's decision for the environment now, and the emergency rules with -Emergency -Reason.</summary>
public sealed class DeploymentWindowCheck : PreflightCheck
{
    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.DeploymentWindow;

    /// <inheritdoc/>
    public override string Checklist => "Deployment window confirmed";

    /// <inheritdoc/>
    public override Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var decision = new DeploymentSchedule(request.Config.Schedule)
            .Test(DateTimeOffset.UtcNow, context.Environment, new PolicyOverrides(request.Emergency, request.Reason));
        var verdict = decision switch
        {
            { Emergency: true } => new PreflightVerdict(PreflightStatus.Warning, $"{decision.Reason} The runbook requires: {string.Join(" ", decision.Duties)}", decision.Summary),
            { Allowed: true } => PreflightVerdict.Passed(decision.Reason, decision.Window ?? decision.Summary),
            _ => PreflightVerdict.Failed($"{decision.Reason} Wait for the window, or, if this cannot wait, run again with {PolicyErrors.EmergencyPath}.", decision.NextWindowStart?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)),
        };
        return Task.FromResult(verdict);
    }
}
