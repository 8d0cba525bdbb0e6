using Skillancer.Deploy.Engine.Migrations.Safety;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>The hard stops before a deploy: failed or edited migrations, and unacknowledged risks.</summary>
internal static class MigrationGate
{
    public static void CheckHistory(IReadOnlyList<MigrationStatus> statuses, bool allowModified, OperationHost host)
    {
        var failed = statuses.FirstOrDefault(s => s.State == MigrationState.Failed);
        if (failed is not null)
        {
            var cause = failed.Logs?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.Length > 0);
            throw new DeployException(MigrationErrors.FailedMigrationBlocks, DeployErrorCategory.InvalidOperation,
                $"The migration {failed.Name} failed{(failed.StartedAt is null ? string.Empty : $" on {failed.StartedAt:yyyy-MM-dd HH:mm} UTC")}{(cause is null ? string.Empty : $" ({cause})")} " +
                "and blocks every later migration. Repair the database, then resolve it: " +
                $"Set-SkMigrationState -Name {failed.Name} -RolledBack to apply it again, or -Applied if you completed it by hand " +
                $"(with Prisma: npx prisma migrate resolve --rolled-back \"{failed.Name}\").", failed.Name);
        }

        var modified = statuses.Where(s => s.State == MigrationState.Modified).Select(s => s.Name).ToList();
        if (modified.Count > 0 && !allowModified)
        {
            throw new DeployException(MigrationErrors.ModifiedMigrationBlocks, DeployErrorCategory.InvalidData,
                $"Applied migration(s) {string.Join(", ", modified)} were edited after they ran; the database may not match their files. " +
                "Restore the files as they were applied (git log -- <file>), or pass -AllowModified if the edit changes nothing that ran.", modified[0]);
        }

        foreach (var name in modified)
        {
            host.Warning($"The applied migration {name} was edited afterwards; going on because -AllowModified was given.");
        }
    }

    public static void CheckSafety(IReadOnlyList<MigrationPlan> plans, MigrationSource source, bool acknowledged, OperationHost host)
    {
        var findings = plans.SelectMany(p => MigrationLinter.Lint(p.Migration.ScriptPath, p.Migration.Script, source.LargeTables)).ToList();
        foreach (var finding in findings)
        {
            host.Warning($"{finding.Severity} {finding.Rule} in {Path.GetFileName(Path.GetDirectoryName(finding.File))} line {finding.Line}: {finding.Message}");
        }

        var errors = findings.Where(f => f.Severity == RiskSeverity.Error).ToList();
        if (errors.Count > 0 && source.RequireSafety && !acknowledged)
        {
            throw new DeployException(MigrationErrors.MigrationRiskNotAcknowledged, DeployErrorCategory.InvalidOperation,
                $"The safety check found {errors.Count} Error-level risk(s) in the pending migrations: " +
                string.Join("; ", errors.Take(5).Select(f => $"{f.Rule} at {Path.GetFileName(Path.GetDirectoryName(f.File))}:{f.Line}")) +
                ". Review them with Test-SkMigrationSafety; if the change is intended and the data is backed up, run again with -AcknowledgeRisk.",
                errors[0].File);
        }
    }
}
