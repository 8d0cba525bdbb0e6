using Skillancer.Deploy.Engine.Migrations.Safety;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Migrations;

/// <summary>The corpus bench/Compare-Squawk.ps1 uses: every file gets exactly the findings its name promises.</summary>
public class SafetyCorpusTests
{
    public static TheoryData<string, string[]> Expected() => new()
    {
        { "01_drop_table", ["drop-table"] },
        { "03_drop_column", ["drop-column"] },
        { "06_rename_table", ["rename"] },
        { "09_add_not_null_no_default", ["add-required-column"] },
        { "10_add_not_null_with_default", [] },
        { "15_create_index_concurrently", [] },
        { "17_fk_not_valid", [] },
        { "28_create_table_then_index", [] },
        { "30_words_in_comment", [] },
        { "31_words_in_string", [] },
        { "32_words_in_dollar_quote", [] },
        { "33_add_column_with_fk", ["constraint-not-valid"] },
        { "39_prisma_add_required", ["add-required-column"] },
        { "42_multiple_actions", ["drop-column", "set-not-null"] },
        { "46_insert_select", [] },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Corpus_files_get_the_findings_their_names_promise(string name, string[] rules)
    {
        var path = Path.Join(RepositoryFiles.Root, "tests", "fixtures", "migration-safety", name + ".sql");

        var findings = MigrationLinter.Lint(path, File.ReadAllText(path));

        Assert.Equal(rules, findings.Select(f => f.Rule).ToArray());
    }

    [Fact]
    public void The_corpus_holds_at_least_forty_migrations()
    {
        Assert.True(Directory.GetFiles(Path.Join(RepositoryFiles.Root, "tests", "fixtures", "migration-safety"), "*.sql").Length >= 40);
    }
}
