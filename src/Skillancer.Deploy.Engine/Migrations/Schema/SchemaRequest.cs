using Skillancer.Deploy.Engine.Migrations.Database;

namespace Skillancer.Deploy.Engine.Migrations.Schema;

/// <summary>What Get-SkDatabaseSchema was asked for.</summary>
/// <param name="Database">The database and schema to read.</param>
/// <param name="Tables">The tables to show; null for all.</param>
/// <param name="IncludeMigrationsTable">Show Prisma's _prisma_migrations table too.</param>
public sealed record SchemaRequest(DatabaseTarget Database, IReadOnlyList<TableFilter>? Tables = null, bool IncludeMigrationsTable = false);
