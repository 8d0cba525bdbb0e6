using Npgsql;
using Skillancer.Deploy.Sandbox.Hosting;

namespace Skillancer.Deploy.Sandbox.Database;

/// <summary>
/// A PostgreSQL cluster that exists only while the sandbox runs: initdb into a temp folder, a free
/// loopback port, trust authentication, no fsync. Stopped and deleted when the sandbox stops; a
/// cluster that an earlier, killed sandbox left behind is stopped at the next start.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private const string FolderPrefix = "skdeploy-sandbox-pg-";
    private readonly PostgresPrograms _programs;
    private readonly string _root;

    private ThrowawayPostgres(PostgresPrograms programs, string root, int port)
    {
        _programs = programs;
        _root = root;
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    private string DataDirectory => Path.Join(_root, "data");

    /// <summary>A postgresql:// URL for one of the cluster's databases.</summary>
    public string Url(string database) => $"postgresql://postgres@127.0.0.1:{Port}/{database}";

    /// <summary>Starts a cluster, or returns null (after saying how to install it) when PostgreSQL is not installed.</summary>
    public static async Task<ThrowawayPostgres?> TryStartAsync(TextWriter log, CancellationToken cancellationToken)
    {
        var programs = PostgresPrograms.Find();
        if (programs is null)
        {
            log.WriteLine($"PostgreSQL is not installed, so the sandbox has no database. Install it ({PostgresPrograms.InstallHint}) and start the sandbox again.");
            return null;
        }

        await StopLeftoversAsync(programs, cancellationToken);
        var root = Path.Join(Path.GetTempPath(), FolderPrefix + Environment.ProcessId);
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Join(root, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        await PostgresPrograms.HandOverAsync(root, cancellationToken);
        var cluster = new ThrowawayPostgres(programs, root, LocalProcesses.FreePort());
        await programs.RunAsync("initdb", ["-D", cluster.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"], cancellationToken);
        var options = $"-p {cluster.Port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await programs.RunAsync("pg_ctl", ["-D", cluster.DataDirectory, "-o", options, "-l", Path.Join(root, "server.log"), "-w", "-t", "60", "start"], cancellationToken);
        log.WriteLine($"PostgreSQL (from {programs.BinDirectory}) started on 127.0.0.1:{cluster.Port}");
        return cluster;
    }

    /// <summary>Creates (or empties, by recreating) a database.</summary>
    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", $"CREATE DATABASE \"{name}\"" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _programs.RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task StopLeftoversAsync(PostgresPrograms programs, CancellationToken cancellationToken)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var ownerFile = Path.Join(folder, "owner.pid");
            if (File.Exists(ownerFile) && int.TryParse(await File.ReadAllTextAsync(ownerFile, cancellationToken), out var owner) && LocalProcesses.IsRunning(owner))
            {
                continue;
            }

            await new ThrowawayPostgres(programs, folder, 0).DisposeAsync();
        }
    }
}
