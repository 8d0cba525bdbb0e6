using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Migrations.Folder;
using Skillancer.Deploy.Engine.Migrations.History;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>What `prisma migrate resolve` records: --rolled-back or --applied.</summary>
public enum MigrationResolution
{
    /// <summary>A failed migration is marked rolled back, so that the next deploy runs it again.</summary>
    RolledBack,
    /// <summary>A migration applied by hand is marked applied, so that no deploy runs it.</summary>
    Applied,
}

/// <summary>`prisma migrate resolve`: marks a failed migration rolled back, or a migration applied, with Prisma's preconditions and rows.</summary>
public static class MigrationResolver
{
    /// <summary>Set-SkMigrationState's entry point: records <paramref name="resolution"/> for the migration, as the policy admitted; null under -WhatIf.</summary>
    public static Task<MigrationStatus?> ResolveAsync(
        MigrationSource source, string name, MigrationResolution resolution, Admission admission, OperationHost host, CancellationToken cancellationToken) =>
        resolution == MigrationResolution.Applied
            ? MarkAppliedAsync(source, name, admission, host, cancellationToken)
            : MarkRolledBackAsync(source, name, admission, host, cancellationToken);

    /// <summary>--rolled-back: only for a failed migration; sets rolled_back_at on its failed rows.</summary>
    private static async Task<MigrationStatus?> MarkRolledBackAsync(MigrationSource source, string name, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        admission.Require(source.Environment);
        await using var connection = await DatabaseConnector.OpenAsync(source.Database, host, cancellationToken).ConfigureAwait(false);
        var history = new MigrationHistory(connection, source.Database.Schema);
        var rows = await history.ExistsAsync(cancellationToken).ConfigureAwait(false) ? await history.ReadAsync(null, cancellationToken).ConfigureAwait(false) : [];
        var failed = rows.Where(r => r.MigrationName == name && r.IsFailed).ToList();
        if (failed.Count == 0)
        {
            throw new DeployException(MigrationErrors.MigrationNotFailed, DeployErrorCategory.InvalidOperation,
                $"The migration {name} is not in a failed state in {source.Database.Display}, so it cannot be marked rolled back (Prisma's P3012). " +
                "Check Get-SkMigrationStatus; to undo an applied migration, use Undo-SkMigration.", name);
        }

        if (host.ShouldProcess($"database {source.Database.Display}", $"Mark the failed migration {name} as rolled back") != Approval.Approved)
        {
            return null;
        }

        await history.MarkRolledBackAsync(failed.Select(r => r.Id), null, cancellationToken).ConfigureAwait(false);
        var status = await StatusOfAsync(source, name, history, cancellationToken).ConfigureAwait(false);
        WarnIfEditedSinceItRan(status, failed[^1], host);
        return status;
    }

    // The row says what ran; the file is what the next deploy runs. After a fix they differ, and the user should know which one goes next.
    private static void WarnIfEditedSinceItRan(MigrationStatus status, MigrationRow row, OperationHost host)
    {
        if (status.Path is null || MigrationChecksum.Matches(MigrationFolder.ReadScript(status.Path), row.Checksum))
        {
            return;
        }

        host.Warning($"The file of {status.Name} has changed since the failed run (recorded checksum {Short(row.Checksum)}, " +
            $"file {Short(status.FileChecksum!)}). The next Invoke-SkMigration applies the file as it is now.");
    }

    private static string Short(string checksum) => checksum.Length <= 12 ? checksum : checksum[..12];

    /// <summary>--applied: the folder must have it and it must not be applied; failed rows are rolled back and a finished row with no steps is added.</summary>
    private static async Task<MigrationStatus?> MarkAppliedAsync(MigrationSource source, string name, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        admission.Require(source.Environment);
        var migration = MigrationFolder.Read(source.Folder, host).FirstOrDefault(m => m.Name == name) ?? throw NotInFolder(name, source.Folder);
        await using var connection = await DatabaseConnector.OpenAsync(source.Database, host, cancellationToken).ConfigureAwait(false);
        var history = new MigrationHistory(connection, source.Database.Schema);
        var exists = await history.ExistsAsync(cancellationToken).ConfigureAwait(false);
        var rows = exists ? await history.ReadAsync(null, cancellationToken).ConfigureAwait(false) : [];
        if (rows.Any(r => r.MigrationName == name && r.IsApplied))
        {
            throw new DeployException(MigrationErrors.MigrationAlreadyApplied, DeployErrorCategory.InvalidOperation,
                $"The migration {name} is already recorded as applied in {source.Database.Display} (Prisma's P3008); nothing to resolve.", name);
        }

        if (host.ShouldProcess($"database {source.Database.Display}", $"Record the migration {name} as applied (without running it)") != Approval.Approved)
        {
            return null;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!exists)
        {
            await history.CreateAsync(transaction, cancellationToken).ConfigureAwait(false);
        }

        var failed = rows.Where(r => r.MigrationName == name && r.IsFailed).Select(r => r.Id).ToList();
        if (failed.Count > 0)
        {
            await history.MarkRolledBackAsync(failed, transaction, cancellationToken).ConfigureAwait(false);
        }

        await history.InsertAppliedAsync(name, migration.Checksum, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return await StatusOfAsync(source, name, history, cancellationToken).ConfigureAwait(false);
    }

    internal static DeployException NotInFolder(string name, string folder) =>
        new(MigrationErrors.MigrationNotFound, DeployErrorCategory.ObjectNotFound,
            $"There is no migration '{name}' in {folder} (Prisma's P3017). Check the name with Get-SkMigrationStatus; it is the migration's folder name.", name);

    private static async Task<MigrationStatus> StatusOfAsync(MigrationSource source, string name, MigrationHistory history, CancellationToken cancellationToken)
    {
        var local = MigrationFolder.Read(source.Folder, OperationHost.Silent);
        var rows = await history.ReadAsync(null, cancellationToken).ConfigureAwait(false);
        return MigrationLedger.Compare(local, rows, source).First(s => s.Name == name);
    }
}
