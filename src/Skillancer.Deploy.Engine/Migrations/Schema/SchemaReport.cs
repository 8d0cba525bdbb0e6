using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations.Schema;

/// <summary>The tables found, and a TableNotFound error for each table named that does not exist.</summary>
/// <param name="Tables">The tables selected, by name.</param>
/// <param name="Missing">One error per -Table name that matched nothing.</param>
public sealed record SchemaReport(IReadOnlyList<DatabaseTable> Tables, IReadOnlyList<DeployException> Missing);
