using Skillancer.Deploy.Engine.Migrations.Database;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>Which database and which migrations folder a migration cmdlet works on.</summary>
/// <param name="Database">The database and schema.</param>
/// <param name="Folder">The migrations folder.</param>
/// <param name="RollbackFolder">The folder of hand-written rollback scripts, if any.</param>
/// <param name="LargeTables">Tables the configuration marks large; changes to them are flagged.</param>
/// <param name="RequireSafety">Refuse Error-level safety findings (production).</param>
public sealed record MigrationSource(
    DatabaseTarget Database,
    string Folder,
    string? RollbackFolder = null,
    IReadOnlyCollection<string>? LargeTables = null,
    bool RequireSafety = false);
