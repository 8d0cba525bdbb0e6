using Skillancer.Deploy.Engine.Migrations.History;
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
            if (!string.IsNullOrWhiteSpace(failed.Logs))
            {
                host.Verbose($"The failed run of {failed.Name} recorded these logs:\n{FailureLog.Readable(failed.Logs)}");
            }

            throw new DeployException(MigrationErrors.FailedMigrationBlocks, DeployErrorCategory.InvalidOperation,
                $"{WhatFailed(failed)} It blocks every later migration. Repair the database, then resolve it: " +
                $"Set-SkMigrationState -Name {failed.Name} -RolledBack to apply it again, or -Applied if you completed it by hand " +
                $"(with Prisma: npx prisma migrate resolve --rolled-back \"{failed.Name}\"). The row's full logs are in -Verbose " +
                "and in the Logs property of Get-SkMigrationStatus.", failed.Name);
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

    // The database error, not the last line of the logs: Prisma's logs end with a backtrace of its own code.
    private static string WhatFailed(MigrationStatus failed)
    {
        var when = failed.StartedAt is null ? string.Empty : $" on {failed.StartedAt:yyyy-MM-dd HH:mm} UTC";
        var error = FailureLog.Parse(failed.Logs);
        return error is null
            ? $"The migration {failed.Name} started{when} and never finished, and no error was recorded: the run that applied it was probably interrupted."
            : $"The migration {failed.Name} failed{when} with database error {error.ToString().TrimEnd('.')}.";
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
