using Skillancer.Deploy.Engine.Migrations;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>
/// "Database migrations tested on staging": every migration pending on the target is Applied, with the same file, on
/// the environment the version is promoted from (promotesFrom). Both answers come from the real databases.
/// </summary>
public sealed class MigrationsTestedCheck : PreflightCheck
{
    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.MigrationsTested;

    /// <inheritdoc/>
    public override string Checklist => "Database migrations tested on staging";

    /// <inheritdoc/>
    public override async Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        if (environment.Database is null)
        {
            return PreflightVerdict.NotConfigured($"{environment.Name} has no database section: no migrations to have tested.");
        }

        if (environment.PromotesFrom is not { } from)
        {
            return PreflightVerdict.NotConfigured($"Nothing says where {environment.Name}'s migrations are tested first: set promotesFrom (e.g. promotesFrom: staging) under environments.{environment.Name}.");
        }

        var pending = (await context.TargetMigrationsAsync().ConfigureAwait(false))
            .Where(m => m.State is MigrationState.Pending or MigrationState.RolledBack)
            .ToList();
        if (pending.Count == 0)
        {
            return PreflightVerdict.Passed($"No migration is pending in {environment.Name}.", "0 pending");
        }

        var source = context.Request.Config.Environment(from);
        var tested = (await MigrationStatusReader.ReadAsync(MigrationSource.Of(source, context.Request.CurrentDirectory), context.Host, cancellationToken).ConfigureAwait(false))
            .ToDictionary(m => m.Name, StringComparer.Ordinal);
        var untested = pending
            .Select(p => (p.Name, Why: tested.GetValueOrDefault(p.Name) switch
            {
                null => $"not in {from}'s migrations",
                { State: MigrationState.Applied } s when s.FileChecksum == p.FileChecksum => null,
                { State: MigrationState.Applied or MigrationState.Modified } s => $"applied on {from} with other contents (checksum {Short(s.Checksum)} there, {Short(p.FileChecksum)} here)",
                var s => $"{s.State} on {from}",
            }))
            .Where(u => u.Why is not null)
            .ToList();
        return untested.Count == 0
            ? PreflightVerdict.Passed($"The {pending.Count} migration(s) pending in {environment.Name} were applied on {from} with the same contents.", string.Join(", ", pending.Select(p => p.Name)))
            : PreflightVerdict.Failed(
                $"{untested.Count} of the {pending.Count} migration(s) pending in {environment.Name} were not tested on {from}: {string.Join("; ", untested.Select(u => $"{u.Name} ({u.Why})"))}. " +
                $"Deploy them to {from} first (Invoke-SkMigration -Environment {from}), and deploy exactly the files tested there.",
                string.Join(", ", untested.Select(u => u.Name)));
    }

    private static string Short(string? checksum) => checksum is { Length: > 8 } ? checksum[..8] : checksum ?? "none";
}
