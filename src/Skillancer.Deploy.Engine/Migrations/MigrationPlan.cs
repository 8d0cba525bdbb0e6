using Skillancer.Deploy.Engine.Migrations.Folder;
using Skillancer.Deploy.Engine.Migrations.Sql;

namespace Skillancer.Deploy.Engine.Migrations;

/// <summary>A migration about to be applied: its script's statements and, if any, why it must run outside a transaction.</summary>
internal sealed record MigrationPlan(LocalMigration Migration, IReadOnlyList<SqlStatement> Statements, string? OutsideTransactionReason)
{
    public string Describe(string verb) =>
        $"{verb} migration {Migration.Name} ({Statements.Count} statement{(Statements.Count == 1 ? string.Empty : "s")}, " +
        (OutsideTransactionReason is null ? "in a transaction)" : $"without a transaction: {OutsideTransactionReason})");
}
