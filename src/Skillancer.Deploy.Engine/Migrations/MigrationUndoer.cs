using Npgsql;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Migrations.Folder;
using Skillancer.Deploy.Engine.Migrations.History;
using Skillancer.Deploy.Engine.Migrations.Sql;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>
/// The runbook's manual database rollback (psql $DATABASE_URL &lt; migrations/rollback/&lt;name&gt;.sql),
/// done safely: the script and the row update run in one transaction, under the migration lock, and
/// the migration is then marked rolled back so that a later deploy applies it again.
/// </summary>
public static class MigrationUndoer
{
    /// <summary>Runs <c>&lt;rollback folder&gt;/&lt;name&gt;.sql</c> and marks the migration rolled back; null under -WhatIf.</summary>
    public static async Task<MigrationStatus?> UndoAsync(MigrationSource source, string name, TimeSpan lockTimeout, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        admission.Require(source.Environment);
        var script = FindScript(source, name);
        var text = SqlFiles.Read(script).TrimStart('\uFEFF');
        var statements = SqlScript.Split(text);
        await using var connection = await DatabaseConnector.OpenAsync(source.Database, host, cancellationToken).ConfigureAwait(false);
        var history = new MigrationHistory(connection, source.Database.Schema);
        var rows = await history.ExistsAsync(cancellationToken).ConfigureAwait(false) ? await history.ReadAsync(null, cancellationToken).ConfigureAwait(false) : [];
        var applied = rows.Where(r => r.MigrationName == name && r.IsApplied).ToList();
        if (applied.Count == 0)
        {
            var failed = rows.Any(r => r.MigrationName == name && r.IsFailed);
            throw new DeployException(MigrationErrors.MigrationNotApplied, DeployErrorCategory.InvalidOperation,
                $"The migration {name} is not applied in {source.Database.Display}, so there is nothing to undo. " +
                (failed ? $"It failed: mark it with Set-SkMigrationState -Name {name} -RolledBack." : "Check the name with Get-SkMigrationStatus."), name);
        }

        var outside = TransactionNeeds.ReasonToRunOutside(statements, connection.PostgreSqlVersion);
        if (outside is not null)
        {
            throw new DeployException(MigrationErrors.RollbackFailed, DeployErrorCategory.InvalidOperation,
                $"The rollback script {script} cannot run in a transaction ({outside}), and Undo-SkMigration only runs rollbacks that can be undone themselves. " +
                $"Run it by hand (psql -f), then mark the migration with Set-SkMigrationState.", script);
        }

        if (host.ShouldProcess($"database {source.Database.Display}", $"Run the rollback script {script} ({statements.Count} statements) and mark {name} rolled back:\n{text.Trim()}") != Approval.Approved)
        {
            return null;
        }

        await history.LockAsync(lockTimeout, source.Database.Display, host, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var statement in statements)
            {
                try
                {
                    await using var command = new NpgsqlCommand(statement.Text, connection, transaction);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e)
                {
                    throw new DeployException(MigrationErrors.RollbackFailed, DeployErrorCategory.InvalidOperation,
                        $"The rollback script {script} failed at line {statement.Line} ({statement.Summary}): {e.SqlState} {e.MessageText}. " +
                        "Its transaction was rolled back, so the database and the migration's state are unchanged. Fix the script and run Undo-SkMigration again.",
                        script, e);
                }
            }

            await history.MarkRolledBackAsync(applied.Select(r => r.Id), transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await history.UnlockAsync().ConfigureAwait(false);
        }

        var local = MigrationFolder.Read(source.Folder, OperationHost.Silent);
        return MigrationLedger.Compare(local, await history.ReadAsync(null, cancellationToken).ConfigureAwait(false), source)
            .First(s => s.Name == name);
    }

    private static string FindScript(MigrationSource source, string name)
    {
        var script = source.RollbackFolder is null ? null : Path.Join(source.RollbackFolder, $"{name}.sql");
        if (script is not null && File.Exists(script))
        {
            return script;
        }

        throw new DeployException(MigrationErrors.RollbackScriptNotFound, DeployErrorCategory.ObjectNotFound,
            (script is null
                ? "No rollback folder is known: set database.rollbackScripts for the environment, or pass -RollbackPath. "
                : $"There is no rollback script {script}. ") +
            $"Write one, or, if the migration failed rather than needing an undo, mark it with Set-SkMigrationState -Name {name} -RolledBack.", name);
    }
}
