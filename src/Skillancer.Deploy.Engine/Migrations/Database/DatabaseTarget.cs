using Npgsql;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations.Database;

/// <summary>
/// A PostgreSQL database and schema to migrate, from a Prisma-style URL
/// (postgresql://user:pass@host:port/db?schema=x&amp;sslmode=require) or Npgsql keywords
/// (Host=...;Username=...;Search Path=x). The password never appears in <see cref="Display"/>.
/// </summary>
public sealed class DatabaseTarget
{
    private readonly string _connectionString;

    private DatabaseTarget(NpgsqlConnectionStringBuilder builder, string schema)
    {
        Schema = schema;
        builder.SearchPath = schema;
        builder.Pooling = false; // one session per run: its advisory lock ends with it
        builder.CommandTimeout = 0; // a migration takes as long as it takes; Ctrl+C cancels it
        Host = builder.Host ?? "localhost";
        Port = builder.Port;
        DatabaseName = builder.Database ?? builder.Username ?? "postgres";
        Username = builder.Username;
        Secret.RegisterForRedaction(builder.Password);

        _connectionString = builder.ConnectionString;
        Secret.RegisterForRedaction(_connectionString);
    }

    /// <summary>The schema migrated (the URL's ?schema=, or the first of Search Path; default public).</summary>
    public string Schema { get; }

    /// <summary>The server's host.</summary>
    public string Host { get; }

    /// <summary>The server's port.</summary>
    public int Port { get; }

    /// <summary>The database's name.</summary>
    public string DatabaseName { get; }

    /// <summary>The user, if named.</summary>
    public string? Username { get; }

    /// <summary>How the target is shown: user@host:port/database (schema), without the password.</summary>
    public string Display => $"{(Username is null ? string.Empty : Username + "@")}{Host}:{Port}/{DatabaseName} (schema {Schema})";

    internal string ConnectionString => _connectionString;

    /// <summary>Reads a connection string in either form; <paramref name="source"/> says where it came from, for errors.</summary>
    public static DatabaseTarget Parse(Secret connectionString, string source)
    {
        var text = connectionString.Reveal().Trim();
        try
        {
            return text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                ? FromUrl(text)
                : FromKeywords(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            throw new DeployException(MigrationErrors.ConnectionStringInvalid, DeployErrorCategory.InvalidArgument,
                Sentences.Join($"The connection string from {source} cannot be read: {Secret.Redact(e.Message)}",
                    "Use a URL such as postgresql://user:password@host:5432/database?schema=public, or Npgsql keywords such as Host=...;Username=...;Database=...."),
                source, e);
        }
    }

    private static DatabaseTarget FromUrl(string text)
    {
        var uri = new Uri(text);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : null,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        var schema = "public";
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (Uri.UnescapeDataString(pair.Split('=', 2)[0]), pair.Contains('=') ? Uri.UnescapeDataString(pair.Split('=', 2)[1]) : string.Empty);
            switch (key.ToLowerInvariant())
            {
                case "schema": schema = value; break;
                case "sslmode": builder.SslMode = ParseSslMode(value); break;
                case "sslaccept" when value == "strict": builder.SslMode = SslMode.VerifyFull; break;
                case "connect_timeout": builder.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "host": builder.Host = value; break;
                case "application_name": builder.ApplicationName = value; break;
                default: break; // Prisma's own options (connection_limit, pool_timeout, ...) mean nothing here
            }
        }

        return new DatabaseTarget(builder, schema);
    }

    private static DatabaseTarget FromKeywords(string text)
    {
        var builder = new NpgsqlConnectionStringBuilder(text);
        var schema = builder.SearchPath?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "public";
        return new DatabaseTarget(builder, schema.Trim('"'));
    }

    private static SslMode ParseSslMode(string value) => value.ToLowerInvariant() switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw new FormatException($"sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full."),
    };
}
