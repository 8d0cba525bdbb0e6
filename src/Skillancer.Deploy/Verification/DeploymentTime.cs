using System.Globalization;
using System.Management.Automation;
using Skillancer.Deploy.Engine.Orchestration.Deployment;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.Verification.Analysis;

namespace Skillancer.Deploy.Verification;

/// <summary>
/// -Since as Compare-SkDeploymentMetric reads it: a time (DateTimeOffset, DateTime, or a string), or the end of the
/// rollout of a deployment run (Invoke-SkDeployment) or record (Get-SkDeploymentLog): the end of its last Rollout or Canary
/// step, when the new version served all traffic; its start when it has no such step.
/// </summary>
internal static class DeploymentTime
{
    private static readonly string[] ServingSteps = ["Rollout", "Canary"];

    /// <summary>The time, and the environment the object came from (null for a plain time).</summary>
    public static (DateTimeOffset At, string? Environment) Read(object? since)
    {
        switch (since is PSObject wrapped ? wrapped.BaseObject : since)
        {
            case DateTimeOffset at:
                return (at, null);
            case DateTime at:
                return (at.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Local)) : new DateTimeOffset(at), null);
            case string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at):
                return (at, null);
            case DeploymentRun run:
                var elapsed = TimeSpan.Zero;
                var end = run.Started;
                foreach (var step in run.Steps)
                {
                    elapsed += step.Duration;
                    if (!step.Undo && ServingSteps.Contains(step.Name, StringComparer.OrdinalIgnoreCase))
                    {
                        end = run.Started + elapsed;
                    }
                }

                return (end, run.Environment);
            case DeploymentRecord record:
                var served = record.Steps.LastOrDefault(s => !s.Undo && s.StartedAt is not null && ServingSteps.Any(n => s.Name.StartsWith(n, StringComparison.OrdinalIgnoreCase)));
                return (served is null ? record.StartedAt : served.StartedAt!.Value + (served.Duration ?? TimeSpan.Zero), record.Environment);
            case var other:
                throw new DeployException(ComparisonRequest.InvalidComparisonWindow, DeployErrorCategory.InvalidArgument,
                    $"-Since must be a time (a DateTime, a DateTimeOffset or a string such as '2026-01-31 14:00Z'), or a deployment run or record; '{other}' is none of them.",
                    other);
        }
    }
}
