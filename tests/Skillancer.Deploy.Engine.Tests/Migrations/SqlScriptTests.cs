using Skillancer.Deploy.Engine.Migrations.Folder;
using Skillancer.Deploy.Engine.Migrations.Sql;

namespace Skillancer.Deploy.Engine.Tests.Migrations;

public class SqlScriptTests
{
    [Fact]
    public void Semicolons_inside_strings_comments_identifiers_and_dollar_quotes_do_not_end_a_statement()
    {
        var sql = """
            -- a comment; with a semicolon
            INSERT INTO "we;ird" VALUES ('it''s; fine', E'back\'slash;');
            /* block /* nested; */ still comment; */
            CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;
            SELECT $$;$$;
            """;

        var statements = SqlScript.Split(sql);

        Assert.Equal(3, statements.Count);
        Assert.StartsWith("INSERT INTO \"we;ird\"", statements[0].Text);
        Assert.Equal(2, statements[0].Line);
        Assert.EndsWith("LANGUAGE plpgsql", statements[1].Text);
        Assert.Equal("SELECT $$;$$", statements[2].Text);
    }

    [Fact]
    public void A_BEGIN_ATOMIC_body_stays_one_statement()
    {
        var statements = SqlScript.Split("CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN a > 0 THEN a END; SELECT a + b; END;\nSELECT 1;");

        Assert.Equal(2, statements.Count);
        Assert.EndsWith("SELECT a + b; END", statements[0].Text);
    }

    [Fact]
    public void Tokens_know_their_kind_and_position()
    {
        var tokens = SqlTokenizer.Tokenize("SELECT \"Col\", 'x', 1.5e3\nFROM t;").Where(t => !t.IsTrivia).ToList();

        Assert.Equal([SqlTokenKind.Word, SqlTokenKind.QuotedIdentifier, SqlTokenKind.Symbol, SqlTokenKind.StringLiteral, SqlTokenKind.Symbol, SqlTokenKind.Number, SqlTokenKind.Word, SqlTokenKind.Word, SqlTokenKind.Semicolon],
            tokens.Select(t => t.Kind));
        Assert.Equal("Col", tokens[1].Identifier);
        Assert.Equal((2, 1), (tokens[6].Line, tokens[6].Column));
        Assert.Equal("a /* b */ 'c'", string.Concat(SqlTokenizer.Tokenize("a /* b */ 'c'").Select(t => t.Text)));
    }

    [Fact]
    public void Checksums_are_Prisma_s_lowercase_sha256_and_tolerate_line_endings_and_unpadded_hex()
    {
        const string script = "CREATE TABLE t (id int);\n";
        var checksum = MigrationChecksum.Compute(script);

        Assert.Matches("^[0-9a-f]{64}$", checksum);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("CREATE TABLE t (id int);\n"u8.ToArray())).ToLowerInvariant(), checksum);
        Assert.True(MigrationChecksum.Matches("CREATE TABLE t (id int);\r\n", checksum));
        Assert.False(MigrationChecksum.Matches("CREATE TABLE t (id bigint);\n", checksum));
        var unpadded = string.Concat(System.Security.Cryptography.SHA256.HashData("SELECT 1;"u8.ToArray()).Select(b => b.ToString("x", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(MigrationChecksum.Matches("SELECT 1;", unpadded));
    }
}
