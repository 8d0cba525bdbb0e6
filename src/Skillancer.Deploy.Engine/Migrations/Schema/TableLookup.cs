using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations.Schema;

/// <summary>Applies -Table to the schema's tables and explains each name that matches none: the schema searched, the nearest name, the tables there are.</summary>
internal static class TableLookup
{
    private const int Listed = 20;

    public static (IReadOnlyList<string> Selected, IReadOnlyList<DeployException> Missing) Select(
        IReadOnlyList<string> tables, IReadOnlyList<TableFilter>? filters, DatabaseTarget target)
    {
        if (filters is null)
        {
            return (tables, []);
        }

        var missing = filters.Where(f => !f.IsPattern && !tables.Any(f.Matches)).Select(f => NotFound(f.Text, tables, target)).ToList();
        return (tables.Where(t => filters.Any(f => f.Matches(t))).ToList(), missing);
    }

    private static DeployException NotFound(string name, IReadOnlyList<string> tables, DatabaseTarget target)
    {
        var nearest = Nearest(name, tables);
        var hint = string.Equals(name, SchemaReader.MigrationsTable, StringComparison.OrdinalIgnoreCase)
            ? $" Prisma's {SchemaReader.MigrationsTable} table is shown only with -IncludeMigrationsTable."
            : nearest is null ? string.Empty : $" Did you mean '{nearest}'?";
        var known = tables.Count == 0
            ? " The schema has no tables yet: apply the migrations with Invoke-SkMigration, or check the schema in the connection string (?schema=)."
            : $" Its tables are: {string.Join(", ", tables.Take(Listed))}{(tables.Count > Listed ? $", and {tables.Count - Listed} more" : string.Empty)}.";
        return new DeployException(MigrationErrors.TableNotFound, DeployErrorCategory.ObjectNotFound,
            $"There is no table '{name}' in {target.Display}.{hint}{known} Check the name, or run Get-SkDatabaseSchema without -Table to see every table.",
            name);
    }

    // The closest name by edit distance (ignoring case), or one that starts with what was typed; null when nothing is close.
    internal static string? Nearest(string name, IReadOnlyList<string> tables)
    {
        var typed = name.ToLowerInvariant();
        return tables
            .Select(t => (Table: t, Distance: t.StartsWith(name, StringComparison.OrdinalIgnoreCase) ? 1 : Distance(typed, t.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, name.Length / 3))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Table, StringComparer.Ordinal)
            .Select(c => c.Table)
            .FirstOrDefault();
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
