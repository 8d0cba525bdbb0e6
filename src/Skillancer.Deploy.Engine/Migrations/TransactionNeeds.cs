using Skillancer.Deploy.Engine.Migrations.Sql;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>Which statements PostgreSQL refuses inside a transaction block, so their migration runs without one.</summary>
internal static class TransactionNeeds
{
    /// <summary>Why the script must run outside a transaction, or null when it can run inside one.</summary>
    public static string? ReasonToRunOutside(IReadOnlyList<SqlStatement> statements, Version serverVersion)
    {
        foreach (var statement in statements)
        {
            var reason = Reason(statement, serverVersion);
            if (reason is not null)
            {
                return $"line {statement.Line}: {reason}";
            }
        }

        return null;
    }

    private static string? Reason(SqlStatement s, Version serverVersion)
    {
        if ((s.StartsWith("CREATE", "INDEX") || s.StartsWith("CREATE", "UNIQUE", "INDEX")) && s.Contains("CONCURRENTLY"))
            return "CREATE INDEX CONCURRENTLY cannot run inside a transaction";
        if (s.StartsWith("DROP", "INDEX", "CONCURRENTLY"))
            return "DROP INDEX CONCURRENTLY cannot run inside a transaction";
        if (s.StartsWith("REINDEX") && s.Contains("CONCURRENTLY"))
            return "REINDEX CONCURRENTLY cannot run inside a transaction";
        if (s.StartsWith("VACUUM"))
            return "VACUUM cannot run inside a transaction";
        if (s.StartsWith("ALTER", "TYPE") && s.Contains("ADD") && s.Contains("VALUE") && serverVersion.Major < 12)
            return $"ALTER TYPE ... ADD VALUE cannot run inside a transaction on PostgreSQL {serverVersion.Major}";
        if (s.StartsWith("CREATE", "DATABASE") || s.StartsWith("DROP", "DATABASE") || s.StartsWith("ALTER", "SYSTEM")
            || s.StartsWith("CREATE", "TABLESPACE") || s.StartsWith("DROP", "TABLESPACE"))
            return $"{string.Join(' ', s.Tokens.Take(2).Select(t => t.Text.ToUpperInvariant()))} cannot run inside a transaction";
        if (s.StartsWith("BEGIN") || s.StartsWith("START", "TRANSACTION") || s.StartsWith("COMMIT") || s.StartsWith("END")
            || s.StartsWith("ROLLBACK") || s.StartsWith("SAVEPOINT"))
            return "the script manages its own transaction";
        return null;
    }
}
