using Npgsql;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations.Database;

/// <summary>Opens a session to a <see cref="DatabaseTarget"/>, turning connection failures into errors that say what to check.</summary>
internal static class DatabaseConnector
{
    public static async Task<NpgsqlConnection> OpenAsync(DatabaseTarget target, OperationHost host, CancellationToken cancellationToken)
    {
        host.Verbose($"Connecting to {target.Display}");
        var connection = new NpgsqlConnection(target.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Explain(target, e);
        }
    }

    public static DeployException Explain(DatabaseTarget target, Exception e) => e switch
    {
        PostgresException { SqlState: "28P01" or "28000" } => new DeployException(MigrationErrors.DatabaseAuthenticationFailed, DeployErrorCategory.PermissionDenied,
            $"{target.Host}:{target.Port} refused user '{target.Username}' for database '{target.DatabaseName}' ({Secret.Redact(((PostgresException)e).MessageText)}). " +
            "Check the user and password in the connection string's environment variable.", target.Display, e),
        PostgresException { SqlState: "3D000" } => new DeployException(MigrationErrors.DatabaseNotFound, DeployErrorCategory.ObjectNotFound,
            $"The database '{target.DatabaseName}' does not exist on {target.Host}:{target.Port}. Check the database name in the connection string, or create the database first.",
            target.Display, e),
        _ => new DeployException(MigrationErrors.DatabaseUnreachable, DeployErrorCategory.ConnectionError,
            Sentences.Join($"PostgreSQL at {target.Host}:{target.Port} cannot be reached: {Secret.Redact(Innermost(e).Message)}",
                "Check the host and port, that the server runs, and that the network allows the connection."), target.Display, e),
    };

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
