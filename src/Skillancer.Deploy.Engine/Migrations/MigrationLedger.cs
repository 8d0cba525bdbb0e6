using Skillancer.Deploy.Engine.Migrations.Folder;
using Skillancer.Deploy.Engine.Migrations.History;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>Puts the folder and the table side by side and says where each migration stands.</summary>
internal static class MigrationLedger
{
    public static IReadOnlyList<MigrationStatus> Compare(IReadOnlyList<LocalMigration> local, IReadOnlyList<MigrationRow> rows, MigrationSource source)
    {
        var byName = rows.GroupBy(r => r.MigrationName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var statuses = local.Select(migration => Status(migration, byName.GetValueOrDefault(migration.Name) ?? [], source)).ToList();
        var localNames = local.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        statuses.AddRange(byName
            .Where(entry => !localNames.Contains(entry.Key))
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry =>
            {
                var last = entry.Value[^1];
                return new MigrationStatus
                {
                    Name = entry.Key, State = MigrationState.MissingLocally, StartedAt = last.StartedAt, FinishedAt = last.FinishedAt,
                    Checksum = last.Checksum, Logs = last.Logs, Database = source.Database.Display, Environment = source.Environment,
                };
            }));
        return statuses;
    }

    private static MigrationStatus Status(LocalMigration migration, List<MigrationRow> rows, MigrationSource source)
    {
        var applied = rows.LastOrDefault(r => r.IsApplied);
        var failed = rows.LastOrDefault(r => r.IsFailed);
        var shown = applied ?? failed ?? rows.LastOrDefault();
        var state = applied is not null
            ? MigrationChecksum.Matches(migration.Script, applied.Checksum) ? MigrationState.Applied : MigrationState.Modified
            : failed is not null ? MigrationState.Failed
            : rows.Count > 0 ? MigrationState.RolledBack
            : MigrationState.Pending;
        return new MigrationStatus
        {
            Name = migration.Name, State = state, StartedAt = shown?.StartedAt, FinishedAt = shown?.FinishedAt,
            Checksum = shown?.Checksum ?? migration.Checksum, FileChecksum = migration.Checksum, Logs = shown?.Logs,
            Path = migration.ScriptPath, Database = source.Database.Display, Environment = source.Environment,
        };
    }

    /// <summary>What a deploy applies: pending and rolled-back migrations, in folder order.</summary>
    public static bool IsToApply(MigrationStatus status) => status.State is MigrationState.Pending or MigrationState.RolledBack;
}
