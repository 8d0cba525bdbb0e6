using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Lock;
using Skillancer.Deploy.Engine.Verification;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>
/// A healthy starting point: every service healthy now, the error rate below the investigate threshold, no migration
/// Failed or Modified, no lock held, no canary half-way. Deploying onto a broken environment hides what the release breaks.
/// </summary>
public sealed class StartingPointCheck : PreflightCheck
{
    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.StartingPoint;

    /// <inheritdoc/>
    public override string Checklist => "A healthy starting point";

    /// <inheritdoc/>
    public override async Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var parts = await Task.WhenAll(
            HealthAsync(context, cancellationToken),
            ErrorRateAsync(context, cancellationToken),
            MigrationsAsync(context),
            LockAsync(context, cancellationToken),
            CanariesAsync(context, cancellationToken)).ConfigureAwait(false);
        var problems = parts.SelectMany(p => p.Problems).ToList();
        var seen = string.Join("; ", parts.Select(p => p.Seen).Where(s => s.Length > 0));
        return problems.Count == 0
            ? PreflightVerdict.Passed($"{context.Environment.Name} starts healthy: {seen}.")
            : PreflightVerdict.Failed($"{context.Environment.Name} is not a healthy starting point: {string.Join("; ", problems)}. Fix that first, so that what the release breaks shows.", $"{problems.Count} problems");
    }

    private static async Task<Part> HealthAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var targets = context.Environment.Services.Where(s => s.Health is not null).Select(HealthTargets.For).ToList();
        var results = await HealthChecker.CheckAsync(targets, HealthCheckOptions.Default, context.Host, cancellationToken).ConfigureAwait(false);
        return new([.. results.Where(r => !r.Healthy).Select(r => $"{r.Service} is not healthy ({r.Error ?? $"HTTP {r.StatusCode}"})")],
            $"{results.Count(r => r.Healthy)} of {results.Count} services healthy");
    }

    private static async Task<Part> ErrorRateAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        if (environment.Prometheus is not { } prometheus)
        {
            return new([], "");
        }

        using var client = HttpClients.Create(TimeSpan.FromSeconds(10), skipCertificateCheck: false);
        var reading = await PrometheusQuery.ReadAsync(client, prometheus.Url, ErrorRateQueries.For(environment, null, null), TimeSpan.FromSeconds(10), context.Host, cancellationToken).ConfigureAwait(false);
        var limit = environment.Thresholds.Investigate;
        return reading.Value switch
        {
            null => new([], $"error rate unknown ({reading.Unknown})"),
            var rate when rate > limit => new([$"the error rate is {rate:P2}, above the investigate threshold {limit:P0}"], ""),
            var rate => new([], $"error rate {rate:P2}"),
        };
    }

    private static async Task<Part> MigrationsAsync(PreflightContext context)
    {
        if (context.Environment.Database is null)
        {
            return new([], "");
        }

        var broken = (await context.TargetMigrationsAsync().ConfigureAwait(false)).Where(m => m.State is MigrationState.Failed or MigrationState.Modified).ToList();
        return new([.. broken.Select(m => $"migration {m.Name} is {m.State} (Get-SkMigrationStatus {context.Environment.Name})")], broken.Count == 0 ? "no failed or modified migration" : "");
    }

    private static async Task<Part> LockAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var holder = await EnvironmentLock.ReadHolderAsync(context.Cluster, context.Environment, cancellationToken).ConfigureAwait(false);
        return holder is { } h && h.ExpiresAt > DateTimeOffset.UtcNow
            ? h.RecordId is { } id && id == context.Request.RunRecordId
                ? new([], "the lock held by this run only")
                : new([$"the environment is locked by {h}"], "")
            : new([], "no lock held");
    }

    private static async Task<Part> CanariesAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var halfway = new List<string>();
        foreach (var service in context.Environment.Services.Where(s => s.Canary is not null))
        {
            var canary = await CanaryManager.GetAsync(context.Cluster, context.Environment, service, cancellationToken).ConfigureAwait(false);
            if (canary.CanaryWeight > 0 || canary.CanaryReplicas > 0)
            {
                halfway.Add($"the canary of {service.Name} is half-way ({canary.CanaryVersion} at {canary.CanaryWeight}%; Complete-SkCanary or Stop-SkCanary)");
            }
        }

        return new(halfway, halfway.Count == 0 ? "no canary half-way" : "");
    }

    private sealed record Part(IReadOnlyList<string> Problems, string Seen);
}
