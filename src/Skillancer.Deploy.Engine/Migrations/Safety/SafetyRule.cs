namespace Skillancer.Deploy.Engine.Migrations.Safety;

/// <summary>A rule of the Migration Safety Checklist: its id, how serious it is, what it means and how to avoid it.</summary>
internal sealed record SafetyRule(string Id, RiskSeverity Severity, string Message, string Fix)
{
    public static readonly SafetyRule DropTable = new("drop-table", RiskSeverity.Error,
        "DROP TABLE destroys data, and code still running the old release may read the table.",
        "Back the data up first, stop using the table in a release before, then drop it in its own migration.");

    public static readonly SafetyRule DropColumn = new("drop-column", RiskSeverity.Error,
        "Dropping a column destroys data and breaks the running release if it still reads or writes the column.",
        "Stop using the column in an earlier release, back it up, then drop it.");

    public static readonly SafetyRule Rename = new("rename", RiskSeverity.Error,
        "Renaming a table or column is not backward compatible: the running release still uses the old name.",
        "Add the new name, copy and dual-write, switch readers, then drop the old name in a later release.");

    public static readonly SafetyRule AlterColumnType = new("alter-column-type", RiskSeverity.Error,
        "Changing a column's type may rewrite the table under an ACCESS EXCLUSIVE lock and break the running release.",
        "Add a column with the new type, backfill it in batches, switch over, then drop the old column.");

    public static readonly SafetyRule AddRequiredColumn = new("add-required-column", RiskSeverity.Error,
        "Adding a NOT NULL column without a default fails on a table with rows, and breaks inserts of the running release.",
        "Add the column nullable or with a DEFAULT, backfill, then SET NOT NULL in a later migration.");

    public static readonly SafetyRule SetNotNull = new("set-not-null", RiskSeverity.Warning,
        "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock.",
        "Add a CHECK (col IS NOT NULL) NOT VALID constraint, VALIDATE it, then SET NOT NULL (PostgreSQL 12+ skips the scan).");

    public static readonly SafetyRule IndexNotConcurrent = new("create-index-not-concurrently", RiskSeverity.Warning,
        "CREATE INDEX without CONCURRENTLY blocks writes to the table while the index builds.",
        "Use CREATE INDEX CONCURRENTLY (the migration then runs outside a transaction).");

    public static readonly SafetyRule ConstraintNotValid = new("constraint-not-valid", RiskSeverity.Warning,
        "Adding a foreign key or check constraint validates every row while holding a lock.",
        "Add it with NOT VALID, then run ALTER TABLE ... VALIDATE CONSTRAINT in a later migration.");

    public static readonly SafetyRule Truncate = new("truncate", RiskSeverity.Error,
        "TRUNCATE deletes every row of the table.",
        "Back the data up first, and make sure the table is truly meant to be emptied.");

    public static readonly SafetyRule DeleteWithoutWhere = new("delete-without-where", RiskSeverity.Error,
        "DELETE without WHERE deletes every row of the table.",
        "Add a WHERE clause, or use a deliberate, reviewed data migration.");

    public static readonly SafetyRule UpdateWithoutWhere = new("update-without-where", RiskSeverity.Error,
        "UPDATE without WHERE changes every row and locks them all.",
        "Add a WHERE clause, and update large tables in batches.");

    public static readonly SafetyRule LargeTable = new("large-table", RiskSeverity.Warning,
        "This changes a table the configuration marks large.",
        "Schedule large-table migrations separately from the release, as the runbook's checklist asks.");
}
