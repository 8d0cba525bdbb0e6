namespace Skillancer.Deploy.Sandbox.Database;

/// <summary>
/// One database per sandbox environment on the throwaway cluster. Their connection strings reach
/// cmdlets the way real ones do: through environment variables that skdeploy.yml names.
/// </summary>
internal sealed record SandboxDatabases(
    string AdminConnectionString,
    IReadOnlyDictionary<string, (string Variable, string Url)> ByEnvironment,
    string? MigrationsFolder,
    string? RollbackFolder)
{
    public static async Task<SandboxDatabases> CreateAsync(
        ThrowawayPostgres cluster, IEnumerable<string> environments, string? migrations, string? rollback, CancellationToken cancellationToken)
    {
        var byEnvironment = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var environment in environments)
        {
            var database = $"sandbox_{environment}";
            await cluster.CreateDatabaseAsync(database, cancellationToken);
            byEnvironment[environment] = ($"SKDEPLOY_SANDBOX_{environment.ToUpperInvariant()}_DATABASE_URL", cluster.Url(database));
        }

        return new SandboxDatabases(cluster.AdminConnectionString, byEnvironment, migrations, rollback);
    }
}
