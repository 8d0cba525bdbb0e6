using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Tests.Migrations;

/// <summary>A migration object handed to a command must come from the environment and database the command works on.</summary>
public class MigrationOriginTests
{
    private static readonly DatabaseTarget Staging = DatabaseTarget.Parse(new Secret("postgresql://app:pw@db-stg:5432/skillancer", "test"), "test");
    private static readonly DatabaseTarget Production = DatabaseTarget.Parse(new Secret("postgresql://app:pw@db-prd:5432/skillancer", "test"), "test");

    private static MigrationStatus ReadFrom(string? environment, DatabaseTarget database) => new()
    {
        Name = "20261120150000_add_payment_status", State = MigrationState.Applied, Checksum = "c", Database = database.Display, Environment = environment,
    };

    [Fact]
    public void An_object_from_the_same_environment_and_database_is_accepted_and_none_at_all_too()
    {
        var source = new MigrationSource(Staging, "migrations", Environment: "staging");

        source.RequireOrigin(ReadFrom("staging", Staging));
        source.RequireOrigin(ReadFrom(null, Staging));
        source.RequireOrigin(null);
    }

    [Fact]
    public void An_object_from_another_environment_is_refused_naming_both()
    {
        var source = new MigrationSource(Production, "migrations", Environment: "production");

        var refused = Assert.Throws<DeployException>(() => source.RequireOrigin(ReadFrom("staging", Staging)));

        Assert.Equal(TargetMismatch.ErrorId, refused.ErrorId);
        Assert.Contains("environment 'staging' (app@db-stg:5432/skillancer (schema public))", refused.Message, StringComparison.Ordinal);
        Assert.Contains("environment 'production' (app@db-prd:5432/skillancer (schema public))", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_read_through_DATABASE_URL_is_refused_once_the_database_differs()
    {
        var source = new MigrationSource(Production, "migrations");

        var refused = Assert.Throws<DeployException>(() => source.RequireOrigin(ReadFrom(null, Staging)));

        Assert.Equal(TargetMismatch.ErrorId, refused.ErrorId);
        Assert.Contains("would change app@db-prd:5432/skillancer (schema public)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_of_a_named_environment_is_refused_by_a_command_on_DATABASE_URL_even_for_the_same_database()
    {
        var source = new MigrationSource(Staging, "migrations");

        var refused = Assert.Throws<DeployException>(() => source.RequireOrigin(ReadFrom("staging", Staging)));

        Assert.Contains("$env:DATABASE_URL or -ConnectionString", refused.Message, StringComparison.Ordinal);
    }
}
