using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Migrations.Folder;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>
/// "Rollback plan documented": every pending migration has a rollback script (or an IRREVERSIBLE.md that says why
/// not), every service has a revision to return to, and a frontend change has a CDN to clear.
/// </summary>
public sealed class RollbackPlanCheck : PreflightCheck
{
    /// <summary>The file in a migration's folder that says why it cannot be reverted.</summary>
    public const string IrreversibleFile = "IRREVERSIBLE.md";

    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.RollbackPlan;

    /// <inheritdoc/>
    public override string Checklist => "Rollback plan documented";

    /// <inheritdoc/>
    public override async Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        var gaps = new List<string>();
        var migrations = environment.Database is null ? [] : await UndocumentedMigrationsAsync(context).ConfigureAwait(false);
        gaps.AddRange(migrations.Select(m => $"migration {m} has no rollback script ({environment.Database!.RollbackScripts ?? "database.rollbackScripts is not set"}/{m}.sql) and no {IrreversibleFile} saying why it cannot be reverted"));

        var frontendChanges = false;
        foreach (var service in environment.Services)
        {
            var revisions = await RevisionHistory.GetAsync(context.Cluster, environment, service, cancellationToken).ConfigureAwait(false);
            var current = revisions.Count == 0 ? null : revisions[^1];
            var changes = current is null || !string.Equals(current.Version, context.Tag, StringComparison.OrdinalIgnoreCase);
            frontendChanges |= changes && service.Tier == ServiceTier.Frontend;
            var fallback = changes ? current : revisions.LastOrDefault(r => r.Image != current!.Image);
            if (fallback is null)
            {
                gaps.Add($"{service.Name} has no revision to return to (Get-SkDeploymentHistory {environment.Name} {service.Name})");
            }
        }

        if (frontendChanges && environment.Cdn is null)
        {
            gaps.Add($"the frontend changes and {environment.Name} has no cdn section, so its cached assets cannot be cleared after a rollback");
        }

        return gaps.Count == 0
            ? PreflightVerdict.Passed(
                $"Every service of {environment.Name} has a revision to return to{(environment.Database is null ? "" : ", every pending migration a rollback script or a reason it has none")}{(frontendChanges ? ", and the CDN can be cleared" : "")}.",
                $"{environment.Services.Count} services")
            : PreflightVerdict.Failed($"The rollback plan has {gaps.Count} gap(s): {string.Join("; ", gaps)}. Write what is missing before deploying.", $"{gaps.Count} gaps");
    }

    private static async Task<IReadOnlyList<string>> UndocumentedMigrationsAsync(PreflightContext context)
    {
        var database = context.Environment.Database!;
        var folder = MigrationFolder.Locate(null, database, context.Request.CurrentDirectory);
        return (await context.TargetMigrationsAsync().ConfigureAwait(false))
            .Where(m => m.State is MigrationState.Pending or MigrationState.RolledBack)
            .Select(m => m.Name)
            .Where(name => !(database.RollbackScripts is { } scripts && File.Exists(Path.Join(scripts, name + ".sql")))
                && !File.Exists(Path.Join(folder, name, IrreversibleFile)))
            .ToList();
    }
}
