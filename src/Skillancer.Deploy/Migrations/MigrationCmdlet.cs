using System.Management.Automation;
using System.Net;
using System.Security;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Migrations.Folder;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Migrations;

/// <summary>
/// A cmdlet that works on a database and its migrations folder: from -Environment (the database
/// section of skdeploy.yml), or from -ConnectionString and -Path, or from Prisma's conventions
/// ($env:DATABASE_URL and ./prisma/migrations).
/// </summary>
public abstract class MigrationCmdlet : ConfiguredCmdlet
{
    /// <summary>
    /// <para type="description">The environment whose database (database.connectionStringEnv) and migrations folder
    /// (database.migrations) to use, from skdeploy.yml. Without it, $env:DATABASE_URL (Prisma's convention) and
    /// ./prisma/migrations are used.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [AllowNull] // a migration read through $env:DATABASE_URL carries no environment; "" is still refused (EnvironmentNotFound)
    public string? Environment { get; set; }

    /// <summary>
    /// <para type="description">The connection string as a SecureString, instead of the environment's variable: a
    /// Prisma-style URL (postgresql://user:password@host:5432/db?schema=public&amp;sslmode=require) or Npgsql keywords
    /// (Host=...;Username=...;Database=...;Search Path=public). The password never appears in any output.</para>
    /// </summary>
    [Parameter]
    public SecureString? ConnectionString { get; set; }

    /// <summary>The environment named by -Environment, or null.</summary>
    protected EnvironmentConfig? TargetEnvironment => Environment is null ? null : Config.Environment(Environment);

    /// <summary>
    /// Asks the policy of the environment named by -Environment (or a piped status's); a database named only by
    /// -ConnectionString or $env:DATABASE_URL has no environment and so no policy. Null when the user declined.
    /// </summary>
    protected Admission? Admit() =>
        TargetEnvironment is { } environment ? Admit(environment, Overrides) : EnvironmentPolicy.WithoutEnvironment(MyInvocation.MyCommand.Name);

    /// <summary>The database to work on.</summary>
    protected DatabaseTarget ResolveDatabase() =>
        DatabaseLocator.Locate(
            ConnectionString is null ? null : new Secret(new NetworkCredential(string.Empty, ConnectionString).Password, "-ConnectionString"),
            TargetEnvironment);

    /// <summary>The database and the migrations folder to work on.</summary>
    protected virtual MigrationSource ResolveSource(string? path, string? rollbackPath = null)
    {
        var environment = TargetEnvironment;
        var database = environment?.Database;
        var folder = MigrationFolder.Locate(path is null ? null : GetUnresolvedProviderPathFromPSPath(path), database, CurrentDirectory);
        return new MigrationSource(
            ResolveDatabase(),
            folder,
            rollbackPath is not null ? GetUnresolvedProviderPathFromPSPath(rollbackPath) : database?.RollbackScripts,
            database?.LargeTables,
            environment?.RequireApproval ?? false,
            environment?.Name);
    }

    private string CurrentDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;
}
