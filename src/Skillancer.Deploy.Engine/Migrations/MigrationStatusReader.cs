using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Migrations.Folder;
using Skillancer.Deploy.Engine.Migrations.History;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>`prisma migrate status`: reads the folder and the table, changes nothing. A missing table means every migration is pending.</summary>
public static class MigrationStatusReader
{
    /// <summary>One status per migration: the folder's in order, then those only the database knows.</summary>
    public static async Task<IReadOnlyList<MigrationStatus>> ReadAsync(MigrationSource source, OperationHost host, CancellationToken cancellationToken)
    {
        var local = MigrationFolder.Read(source.Folder, host);
        await using var connection = await DatabaseConnector.OpenAsync(source.Database, host, cancellationToken).ConfigureAwait(false);
        var history = new MigrationHistory(connection, source.Database.Schema);
        var rows = await history.ExistsAsync(cancellationToken).ConfigureAwait(false)
            ? await history.ReadAsync(null, cancellationToken).ConfigureAwait(false)
            : [];
        return MigrationLedger.Compare(local, rows, source);
    }

    /// <summary>The counts per state; up to date when every migration is applied and matches its file.</summary>
    public static MigrationSummary Summarize(IReadOnlyList<MigrationStatus> statuses, MigrationSource source)
    {
        int Count(MigrationState state) => statuses.Count(s => s.State == state);
        return new MigrationSummary(
            statuses.All(s => s.State == MigrationState.Applied),
            Count(MigrationState.Applied), Count(MigrationState.Pending), Count(MigrationState.Failed), Count(MigrationState.Modified),
            Count(MigrationState.MissingLocally), Count(MigrationState.RolledBack), source.Database.Display, source.Environment);
    }
}
