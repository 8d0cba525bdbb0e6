using Skillancer.Deploy.Engine.Migrations.Sql;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification;

namespace Skillancer.Deploy.Engine.Migrations.Safety;

/// <summary>One place to check: a migrations folder, one migration's folder or a .sql file, and the tables to treat as large.</summary>
public sealed record SafetyTarget(string Path, IReadOnlyCollection<string> LargeTables);

/// <summary>
/// Test-SkMigrationSafety's step: lints every SQL file of every target and, when an Error-level risk is found (one
/// that blocks a deploy that requires safety), ends with MigrationSafetyFailed.
/// </summary>
public static class MigrationSafetyCheck
{
    /// <summary>Every finding, in the targets' and files' order, and the gate's error when one is Error-level.</summary>
    public static GateResult<SafetyFinding> Check(IReadOnlyList<SafetyTarget> targets, OperationHost host)
    {
        var files = targets.SelectMany(t => SqlFiles.Resolve(t.Path).Select(file => (File: file, t.LargeTables))).ToList();
        var findings = new List<SafetyFinding>();
        foreach (var (file, large) in files)
        {
            host.Verbose($"Checking {file}");
            findings.AddRange(MigrationLinter.Lint(file, SqlFiles.Read(file), large));
        }

        var errors = findings.Where(f => f.Severity == RiskSeverity.Error).ToList();
        var failure = errors.Count == 0 ? null : new DeployException(MigrationErrors.MigrationSafetyFailed, DeployErrorCategory.InvalidData,
            $"The safety check found {errors.Count} Error-level risk(s): " +
            string.Join("; ", errors.Take(5).Select(f => $"{f.Rule} at {System.IO.Path.GetFileName(f.File)}:{f.Line}")) +
            ". Each finding's Fix says how to make the change safely. Invoke-SkMigration refuses these where database.requireSafety is set, " +
            "unless -AcknowledgeRisk is given after the data is backed up.",
            errors[0].File);
        return new GateResult<SafetyFinding>(findings, failure);
    }
}
