namespace Skillancer.Deploy.Sandbox.Hosting;

/// <summary>Where the sandbox listens, where it writes the files that point at it, and whether it runs a database.</summary>
/// <param name="OutputDirectory">The folder for skdeploy.yml and sandbox.json.</param>
/// <param name="Port">The loopback port, or 0 for any free port.</param>
/// <param name="StartPostgres">Start a throwaway PostgreSQL cluster (when PostgreSQL is installed).</param>
/// <param name="MigrationsFolder">The migrations folder the written configuration names, if any.</param>
/// <param name="RollbackFolder">The rollback scripts folder the written configuration names, if any.</param>
internal sealed record SandboxOptions(
    string OutputDirectory,
    int Port = 0,
    bool StartPostgres = false,
    string? MigrationsFolder = null,
    string? RollbackFolder = null);
