using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Orchestration.Deployment;

/// <summary>
/// -WhatIf: the run's plan, step by step, from what the cluster and the databases say now (reads only): the services
/// with their images from and to, the migrations pending, the notices, the watch's length and the CDN's paths.
/// </summary>
public static class DeploymentPlan
{
    /// <summary>The plan as a run whose steps are Planned (or Skipped, or a Warning that would stop the run).</summary>
    public static async Task<DeploymentRun> DescribeAsync(
        ClusterConnection cluster, DeploymentRequest request, string tag, TimeSpan watch, string? emergencyReason, OperationHost host, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        var states = await Deployments.GetAsync(cluster, environment, environment.Services, cancellationToken).ConfigureAwait(false);
        var changing = states.Where(s => s.Version != tag && request.CanaryServices.All(c => c.Name != s.Service)).ToList();
        var steps = new List<DeploymentStep>();
        void Add(string name, DeploymentStepStatus status, string detail) => steps.Add(new DeploymentStep(name, status, TimeSpan.Zero, detail));

        if (environment.PromotesFrom is { } from)
        {
            try
            {
                var succeeded = await PromotionCheck.RequireAsync(request.Config, environment, tag, host, cancellationToken).ConfigureAwait(false);
                Add("Promotion", DeploymentStepStatus.Planned, $"{tag} succeeded in {from} (record {succeeded!.Id}).");
            }
            catch (DeployException e)
            {
                Add("Promotion", DeploymentStepStatus.Warning, $"Would be refused: {e.Message}");
            }
        }

        var names = DeploymentExecution.StepNames;
        Add(names[0], DeploymentStepStatus.Planned, "Would check the pre-deployment checklist (all items but \"stakeholders notified\", which the next step does).");
        Add(names[1], Notices(environment), Notice(environment, "🚀 Deployment Started"));
        if (emergencyReason is not null)
        {
            Add(DeploymentExecution.EmergencyNotice, Notices(environment),
                environment.Notifications is { } notifications
                    ? $"Would post \"🚨 Emergency Deployment\" ({emergencyReason}) to ${notifications.EmergencyWebhookUrlEnv ?? notifications.WebhookUrlEnv}."
                    : $"{environment.Name} has no notifications section.");
        }

        Add(names[2], environment.Database is null ? DeploymentStepStatus.Skipped : DeploymentStepStatus.Planned, await MigrationsAsync(request, host, cancellationToken).ConfigureAwait(false));
        Add(names[3], changing.Count == 0 ? DeploymentStepStatus.Skipped : DeploymentStepStatus.Planned,
            changing.Count == 0
                ? $"Every service already runs {tag}."
                : $"Would roll out, tier by tier: {string.Join("; ", changing.Select(s => $"{s.Service} {s.Version} -> {tag}"))}.");
        foreach (var service in request.CanaryServices)
        {
            var (_, analysis) = request.CanaryFor(service, tag).Validate();
            Add(DeploymentExecution.CanaryStep, DeploymentStepStatus.Planned,
                $"Would run {service.Name} {tag} as a progressive canary: {string.Join(", ", analysis.Steps.Select(w => $"{w}%"))}, {DurationParser.Format(analysis.StepDuration)} a step, analysed every {DurationParser.Format(analysis.Interval)} against stable.");
        }

        Add(names[4], DeploymentStepStatus.Planned, $"Would check the health of {environment.Services.Count(s => s.Health is not null)} services, up to 6 attempts each.");
        var smoke = environment.Smoke.Select(c => c.Name).Concat(environment.SmokeSuites.Select(c => $"{c.Name} ({c.Command})")).ToList();
        Add(names[5], smoke.Count == 0 ? DeploymentStepStatus.Skipped : DeploymentStepStatus.Planned,
            smoke.Count == 0 ? $"{environment.Name} has no smoke checks (smoke:)." : $"Would run {smoke.Count} smoke checks: {string.Join(", ", smoke)}.");
        Add(names[6], environment.Prometheus is null ? DeploymentStepStatus.Warning : DeploymentStepStatus.Planned,
            environment.Prometheus is null ? $"{environment.Name} has no prometheus section: the error rate would not be watched." : $"Would watch the error rate for {DurationParser.Format(watch)}.");
        var frontend = changing.Any(s => environment.Service(s.Service).Tier == Configuration.ServiceTier.Frontend);
        Add(names[7], frontend && environment.Cdn is not null ? DeploymentStepStatus.Planned : DeploymentStepStatus.Skipped,
            !frontend ? "The frontend would not change." : environment.Cdn is null ? $"{environment.Name} has no cdn section." : $"Would invalidate /* on {environment.Cdn.DistributionId}.");
        Add(names[8], Notices(environment), Notice(environment, "✅ Deployment Complete"));
        return new DeploymentRun
        {
            Environment = environment.Name,
            Version = tag,
            Status = State.Journal.RecordStatus.Running,
            Started = DateTimeOffset.UtcNow,
            Steps = steps,
            EmergencyReason = emergencyReason,
            WhatIf = true,
        };
    }

    private static DeploymentStepStatus Notices(Configuration.EnvironmentConfig environment) =>
        environment.Notifications is null ? DeploymentStepStatus.Skipped : DeploymentStepStatus.Planned;

    private static string Notice(Configuration.EnvironmentConfig environment, string title) =>
        environment.Notifications is { } notifications ? $"Would post \"{title}\" to ${notifications.WebhookUrlEnv}." : $"{environment.Name} has no notifications section.";

    private static async Task<string> MigrationsAsync(DeploymentRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        if (request.Environment.Database is null)
        {
            return $"{request.Environment.Name} has no database section.";
        }

        var pending = (await MigrationStatusReader.ReadAsync(MigrationSource.Of(request.Environment, request.CurrentDirectory), host, cancellationToken).ConfigureAwait(false))
            .Where(m => m.State == MigrationState.Pending).Select(m => m.Name).ToList();
        return pending.Count == 0 ? "None pending." : $"Would apply {pending.Count}, each in its own transaction: {string.Join(", ", pending)}.";
    }
}
