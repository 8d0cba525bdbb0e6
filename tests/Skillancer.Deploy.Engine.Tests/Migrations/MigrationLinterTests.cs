using Skillancer.Deploy.Engine.Migrations.Safety;

namespace Skillancer.Deploy.Engine.Tests.Migrations;

public class MigrationLinterTests
{
    [Theory]
    [InlineData("DROP TABLE jobs;", "drop-table")]
    [InlineData("ALTER TABLE jobs DROP COLUMN title;", "drop-column")]
    [InlineData("ALTER TABLE jobs DROP title;", "drop-column")]
    [InlineData("ALTER TABLE jobs RENAME COLUMN title TO name;", "rename")]
    [InlineData("ALTER TABLE jobs RENAME TO gigs;", "rename")]
    [InlineData("ALTER TABLE jobs ALTER COLUMN budget TYPE bigint;", "alter-column-type")]
    [InlineData("ALTER TABLE jobs ALTER COLUMN budget SET DATA TYPE bigint;", "alter-column-type")]
    [InlineData("ALTER TABLE jobs ADD COLUMN owner text NOT NULL;", "add-required-column")]
    [InlineData("ALTER TABLE jobs ALTER COLUMN title SET NOT NULL;", "set-not-null")]
    [InlineData("CREATE INDEX jobs_title ON jobs (title);", "create-index-not-concurrently")]
    [InlineData("CREATE UNIQUE INDEX jobs_title ON public.jobs (title);", "create-index-not-concurrently")]
    [InlineData("ALTER TABLE jobs ADD CONSTRAINT fk FOREIGN KEY (client_id) REFERENCES clients(id);", "constraint-not-valid")]
    [InlineData("ALTER TABLE jobs ADD CONSTRAINT positive CHECK (budget > 0);", "constraint-not-valid")]
    [InlineData("ALTER TABLE jobs ADD COLUMN client_id text REFERENCES clients(id);", "constraint-not-valid")]
    [InlineData("TRUNCATE jobs;", "truncate")]
    [InlineData("DELETE FROM jobs;", "delete-without-where")]
    [InlineData("UPDATE jobs SET title = (SELECT name FROM t WHERE t.id = 1);", "update-without-where")]
    public void Each_rule_finds_its_statement(string sql, string rule)
    {
        var finding = Assert.Single(MigrationLinter.Lint("m.sql", sql));

        Assert.Equal(rule, finding.Rule);
        Assert.NotEmpty(finding.Message);
        Assert.NotEmpty(finding.Fix);
    }

    [Theory]
    [InlineData("ALTER TABLE jobs DROP CONSTRAINT fk;")]
    [InlineData("ALTER TABLE jobs ALTER COLUMN title DROP NOT NULL;")]
    [InlineData("ALTER TABLE jobs ALTER COLUMN title DROP DEFAULT;")]
    [InlineData("ALTER TABLE jobs RENAME CONSTRAINT a TO b;")]
    [InlineData("ALTER TABLE jobs ADD COLUMN owner text NOT NULL DEFAULT 'x';")]
    [InlineData("ALTER TABLE jobs ADD COLUMN note text;")]
    [InlineData("CREATE INDEX CONCURRENTLY jobs_title ON jobs (title);")]
    [InlineData("ALTER TABLE jobs ADD CONSTRAINT fk FOREIGN KEY (client_id) REFERENCES clients(id) NOT VALID;")]
    [InlineData("ALTER TABLE jobs VALIDATE CONSTRAINT fk;")]
    [InlineData("DELETE FROM jobs WHERE id = 1;")]
    [InlineData("UPDATE jobs SET title = 'x' WHERE id = 1;")]
    [InlineData("-- DROP TABLE jobs;\nSELECT 'DROP TABLE jobs';")]
    [InlineData("/* TRUNCATE jobs; */ SELECT 1;")]
    [InlineData("DO $$ BEGIN EXECUTE 'DELETE FROM jobs'; END $$;")]
    [InlineData("SELECT \"DROP TABLE\" FROM t;")]
    public void Safe_statements_and_rule_words_inside_strings_or_comments_find_nothing(string sql)
    {
        Assert.Empty(MigrationLinter.Lint("m.sql", sql));
    }

    [Fact]
    public void Tables_created_in_the_same_script_are_exempt_from_the_lock_rules()
    {
        var findings = MigrationLinter.Lint("m.sql", """
            CREATE TABLE "Proposal" ("id" TEXT NOT NULL, "jobId" TEXT NOT NULL);
            CREATE INDEX "Proposal_jobId_idx" ON "Proposal"("jobId");
            ALTER TABLE "Proposal" ADD CONSTRAINT "fk" FOREIGN KEY ("jobId") REFERENCES "Job"("id");
            ALTER TABLE "Proposal" ADD COLUMN "status" TEXT NOT NULL;
            """);

        Assert.Empty(findings);
    }

    [Fact]
    public void Large_tables_are_flagged_with_file_line_and_column()
    {
        var findings = MigrationLinter.Lint("/m/20260101_x/migration.sql", "SELECT 1;\n  ALTER TABLE \"Job\" ADD COLUMN note text;\nUPDATE jobs SET a = 1 WHERE id = 2;", ["job", "jobs"]);

        Assert.Equal(["large-table", "large-table"], findings.Select(f => f.Rule));
        Assert.Equal((2, 3), (findings[0].Line, findings[0].Column));
        Assert.Equal(RiskSeverity.Warning, findings[0].Severity);
        Assert.Equal("ALTER TABLE \"Job\" ADD COLUMN note text", findings[0].Statement);
    }
}
