namespace Skillancer.Deploy.Engine.Migrations.Schema;

/// <summary>A table as the catalog describes it: the runbook's "verify migration success".</summary>
public sealed record DatabaseTable
{
    /// <summary>The schema it lives in.</summary>
    public required string Schema { get; init; }

    /// <summary>The table's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its columns, in order.</summary>
    public required IReadOnlyList<TableColumn> Columns { get; init; }

    /// <summary>Its indexes, the primary key's included.</summary>
    public required IReadOnlyList<TableIndex> Indexes { get; init; }

    /// <summary>Its constraints: primary key, unique, foreign keys, checks.</summary>
    public required IReadOnlyList<TableConstraint> Constraints { get; init; }

    /// <summary>The planner's estimate of its rows (-1 when never analyzed).</summary>
    public required long EstimatedRows { get; init; }

    /// <summary>The database, shown without its password.</summary>
    public required string Database { get; init; }
}

/// <summary>A column: its SQL type, whether it takes NULL, and its default expression.</summary>
public sealed record TableColumn(string Name, string Type, bool Nullable, string? Default)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Type}{(Nullable ? string.Empty : " NOT NULL")}{(Default is null ? string.Empty : $" DEFAULT {Default}")}";
}

/// <summary>An index and its definition.</summary>
public sealed record TableIndex(string Name, string Definition, bool IsUnique, bool IsPrimary)
{
    /// <inheritdoc/>
    public override string ToString() => Definition;
}

/// <summary>A constraint: its kind (PrimaryKey, ForeignKey, Unique, Check, Exclusion) and definition.</summary>
public sealed record TableConstraint(string Name, string Kind, string Definition)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Definition}";
}
