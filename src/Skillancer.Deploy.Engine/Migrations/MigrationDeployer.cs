using System.Diagnostics;
using Npgsql;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Migrations.Folder;
using Skillancer.Deploy.Engine.Migrations.History;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>
/// `prisma migrate deploy`, with what Prisma lacks: each migration in its own transaction (unless a
/// statement forbids one), -WhatIf, -DryRun, a lock timeout and an explicit unlock, and a refusal to
/// run over edited migrations or unacknowledged risks. Rows in _prisma_migrations are written as Prisma
/// writes them.
/// </summary>
public static class MigrationDeployer
{
    private const string Activity = "Applying migrations";

    /// <summary>Invoke-SkMigration's entry point: applies the pending migrations (up to <see cref="DeployRequest.To"/>), as the policy admitted, and reports each.</summary>
    public static async Task<IReadOnlyList<AppliedMigration>> DeployAsync(DeployRequest request, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        var source = request.Source;
        admission.Require(source.Environment);
        var local = MigrationFolder.Read(source.Folder, host);
        if (request.To is not null && local.All(m => m.Name != request.To))
        {
            throw MigrationResolver.NotInFolder(request.To, source.Folder);
        }

        await using var connection = await DatabaseConnector.OpenAsync(source.Database, host, cancellationToken).ConfigureAwait(false);
        var history = new MigrationHistory(connection, source.Database.Schema);
        var tableExists = await history.ExistsAsync(cancellationToken).ConfigureAwait(false);
        if (!tableExists && await history.SchemaHasObjectsAsync(cancellationToken).ConfigureAwait(false))
        {
            throw BaselineRequired(source, local);
        }

        var statuses = MigrationLedger.Compare(local, tableExists ? await history.ReadAsync(null, cancellationToken).ConfigureAwait(false) : [], source);
        var run = new Run(request, host, connection, history, cancellationToken);
        try
        {
            try
            {
                MigrationGate.CheckHistory(statuses, request.AllowModified, host);
            }
            catch (DeployException e) when (e.ErrorId == MigrationErrors.FailedMigrationBlocks)
            {
                // An unfinished row may be another run applying that migration right now: judge it again under the lock.
                host.Verbose("A migration looks unfinished; waiting for the migration lock in case another run is applying it.");
                statuses = await run.LockAndRefreshAsync().ConfigureAwait(false);
            }

            var plans = Plan(statuses, local, request.To, connection.PostgreSqlVersion);
            if (plans.Count == 0)
            {
                host.Verbose($"{source.Database.Display} is up to date; no migration to apply.");
                return [];
            }

            MigrationGate.CheckSafety(plans, source, request.AcknowledgeRisk, host);
            return request.DryRun ? await run.DryRunAsync(plans).ConfigureAwait(false) : await run.ApplyAsync(plans).ConfigureAwait(false);
        }
        finally
        {
            await run.UnlockAsync().ConfigureAwait(false);
            host.Progress(new ProgressUpdate(Activity, "Done", 100, Completed: true));
        }
    }

    private static List<MigrationPlan> Plan(IReadOnlyList<MigrationStatus> statuses, IReadOnlyList<LocalMigration> local, string? to, Version serverVersion)
    {
        var byName = local.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var plans = new List<MigrationPlan>();
        foreach (var status in statuses.Where(s => s.Path is not null))
        {
            if (MigrationLedger.IsToApply(status))
            {
                var migration = byName[status.Name];
                var statements = migration.Statements;
                plans.Add(new MigrationPlan(migration, statements, TransactionNeeds.ReasonToRunOutside(statements, serverVersion)));
            }

            if (status.Name == to)
            {
                break;
            }
        }

        return plans;
    }

    private static DeployException BaselineRequired(MigrationSource source, IReadOnlyList<LocalMigration> local) =>
        new(MigrationErrors.BaselineRequired, DeployErrorCategory.InvalidOperation,
            $"The schema '{source.Database.Schema}' of {source.Database.Display} already holds tables but has no _prisma_migrations table (Prisma's P3005). " +
            "Baseline it: mark the migrations the schema already contains as applied, e.g. " +
            $"Set-SkMigrationState -Name {(local.Count > 0 ? local[0].Name : "<first migration>")} -Applied, then run Invoke-SkMigration again.",
            source.Database.Display);

    /// <summary>One deploy in progress: the lock, the table, and the migrations applied so far.</summary>
    private sealed class Run(DeployRequest request, OperationHost host, NpgsqlConnection connection, MigrationHistory history, CancellationToken cancellationToken)
    {
        private readonly List<AppliedMigration> _applied = [];
        private readonly string _target = $"database {request.Source.Database.Display}";
        private bool _locked;
        private HashSet<string>? _toApply;
        private IReadOnlyList<MigrationStatus>? _statuses;

        public async Task<IReadOnlyList<AppliedMigration>> ApplyAsync(List<MigrationPlan> plans)
        {
            for (var i = 0; i < plans.Count; i++)
            {
                var plan = plans[i];
                var approval = host.ShouldProcess(_target, plan.Describe("Apply"));
                if (approval == Approval.Declined)
                {
                    host.Warning($"Stopped at your request before {plan.Migration.Name}; {_applied.Count} migration(s) were applied.");
                    break;
                }

                if (approval == Approval.WhatIf)
                {
                    continue;
                }

                await LockAndRefreshAsync().ConfigureAwait(false);
                if (!_toApply!.Contains(plan.Migration.Name))
                {
                    host.Verbose($"{plan.Migration.Name} was applied by another run meanwhile; skipped.");
                    continue;
                }

                host.Progress(new ProgressUpdate(Activity, $"{plan.Migration.Name} ({i + 1} of {plans.Count})", i * 100 / plans.Count));
                if (plan.OutsideTransactionReason is not null)
                {
                    host.Warning($"{plan.Migration.Name} runs without a transaction ({plan.OutsideTransactionReason}); if it fails midway, its finished statements stay.");
                }

                _applied.Add(await ApplyOneAsync(plan).ConfigureAwait(false));
            }

            return _applied;
        }

        public async Task<IReadOnlyList<AppliedMigration>> DryRunAsync(List<MigrationPlan> plans)
        {
            var outside = plans.FirstOrDefault(p => p.OutsideTransactionReason is not null);
            if (outside is not null)
            {
                throw new DeployException(MigrationErrors.DryRunNotPossible, DeployErrorCategory.InvalidOperation,
                    $"A dry run needs every pending migration to run inside one transaction, but {outside.Migration.Name} cannot ({outside.OutsideTransactionReason}). " +
                    "Use -WhatIf to list what would run, or dry-run the migrations before it with -To.", outside.Migration.Name);
            }

            var approval = host.ShouldProcess(_target,
                $"Dry-run {plans.Count} migration(s) in one transaction and roll it back: {string.Join(", ", plans.Select(p => p.Migration.Name))}");
            if (approval != Approval.Approved)
            {
                return [];
            }

            await LockAndRefreshAsync().ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!await history.ExistsAsync(cancellationToken).ConfigureAwait(false))
                {
                    await history.CreateAsync(transaction, cancellationToken).ConfigureAwait(false);
                }

                foreach (var plan in plans.Where(p => _toApply!.Contains(p.Migration.Name)))
                {
                    var id = await history.InsertStartedAsync(plan.Migration.Name, plan.Migration.Checksum, transaction, cancellationToken).ConfigureAwait(false);
                    var watch = Stopwatch.StartNew();
                    await ExecuteAsync(plan, transaction).ConfigureAwait(false);
                    await history.MarkFinishedAsync(id, transaction, cancellationToken).ConfigureAwait(false);
                    _applied.Add(Result(plan, watch.Elapsed, inTransaction: true, dryRun: true));
                }
            }
            finally
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }

            host.Verbose($"Dry run: {_applied.Count} migration(s) ran and were rolled back; the database is unchanged.");
            return _applied;
        }

        public async Task UnlockAsync()
        {
            if (_locked && connection.State == System.Data.ConnectionState.Open)
            {
                await history.UnlockAsync().ConfigureAwait(false);
                host.Verbose("Released the migration lock.");
            }
        }

        /// <summary>Takes the migration lock (once) and returns the statuses as the table says under it.</summary>
        public async Task<IReadOnlyList<MigrationStatus>> LockAndRefreshAsync()
        {
            if (_locked)
            {
                return _statuses!;
            }

            await history.LockAsync(request.LockTimeout ?? DeployRequest.DefaultLockTimeout, request.Source.Database.Display, host, cancellationToken).ConfigureAwait(false);
            _locked = true;
            // Under the lock the table is the truth: another run may have applied or failed something meanwhile.
            if (!await history.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!request.DryRun)
                {
                    await history.CreateAsync(null, cancellationToken).ConfigureAwait(false);
                    host.Verbose("Created the _prisma_migrations table.");
                }
            }

            var rows = await history.ExistsAsync(cancellationToken).ConfigureAwait(false) ? await history.ReadAsync(null, cancellationToken).ConfigureAwait(false) : [];
            var local = MigrationFolder.Read(request.Source.Folder, OperationHost.Silent);
            var statuses = MigrationLedger.Compare(local, rows, request.Source);
            MigrationGate.CheckHistory(statuses, request.AllowModified, OperationHost.Silent);
            _toApply = statuses.Where(MigrationLedger.IsToApply).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            return _statuses = statuses;
        }

        private async Task<AppliedMigration> ApplyOneAsync(MigrationPlan plan)
        {
            var inTransaction = plan.OutsideTransactionReason is null;
            var id = await history.InsertStartedAsync(plan.Migration.Name, plan.Migration.Checksum, null, cancellationToken).ConfigureAwait(false);
            var watch = Stopwatch.StartNew();
            try
            {
                if (inTransaction)
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(plan, transaction).ConfigureAwait(false);
                    await history.MarkFinishedAsync(id, transaction, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await ExecuteAsync(plan, null).ConfigureAwait(false);
                    await history.MarkFinishedAsync(id, null, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (StatementFailedException e)
            {
                await history.RecordFailureAsync(id, e.Logs, CancellationToken.None).ConfigureAwait(false);
                throw Failed(plan, e);
            }

            return Result(plan, watch.Elapsed, inTransaction, dryRun: false);
        }

        // One statement at a time, so that a failure names its statement and line exactly.
        private async Task ExecuteAsync(MigrationPlan plan, NpgsqlTransaction? transaction)
        {
            foreach (var statement in plan.Statements)
            {
                try
                {
                    await using var command = new NpgsqlCommand(statement.Text, connection, transaction);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e)
                {
                    throw new StatementFailedException(statement.Line, statement.Summary, e);
                }
            }
        }

        private DeployException Failed(MigrationPlan plan, StatementFailedException e)
        {
            var before = _applied.Count == 0 ? string.Empty : $" Applied before it: {string.Join(", ", _applied.Select(a => a.Name))}.";
            var dry = request.DryRun ? " (dry run: everything was rolled back)" : string.Empty;
            var undo = plan.OutsideTransactionReason is null
                ? "Its transaction was rolled back."
                : "It ran without a transaction, so its statements before the failing one stay applied.";
            return new DeployException(MigrationErrors.MigrationFailed, DeployErrorCategory.InvalidOperation,
                $"The migration {plan.Migration.Name} failed at line {e.Line} ({e.Statement}): {e.Cause.SqlState} {e.Cause.MessageText}{dry}. {undo} " +
                $"It is recorded as failed and blocks later migrations. Fix it, then run Set-SkMigrationState -Name {plan.Migration.Name} -RolledBack " +
                $"and Invoke-SkMigration again.{before}", plan.Migration.Name, e.Cause);
        }

        private AppliedMigration Result(MigrationPlan plan, TimeSpan duration, bool inTransaction, bool dryRun) => new()
        {
            Name = plan.Migration.Name,
            Duration = duration,
            Statements = plan.Statements.Count,
            InTransaction = inTransaction,
            DryRun = dryRun,
            Database = request.Source.Database.Display,
            Environment = request.Source.Environment,
        };
    }

    private sealed class StatementFailedException(int line, string statement, PostgresException cause) : Exception(cause.MessageText, cause)
    {
        public int Line { get; } = line;

        public string Statement { get; } = statement;

        public PostgresException Cause { get; } = cause;

        // The logs Prisma writes for a failed migration: the code, the message and where.
        public string Logs =>
            $"Database error code: {Cause.SqlState}\n\nDatabase error:\n{Cause.Severity}: {Cause.MessageText}" +
            $"{(Cause.Detail is null ? string.Empty : $"\nDETAIL: {Cause.Detail}")}\n\nStatement at line {Line}: {Statement}";
    }
}
