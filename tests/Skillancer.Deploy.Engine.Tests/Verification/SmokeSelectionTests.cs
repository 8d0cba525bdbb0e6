using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification.Smoke;

namespace Skillancer.Deploy.Engine.Tests.Verification;

/// <summary>-Name of Invoke-SkSmokeTest: names and wildcards pick configured checks; one that picks nothing names itself and the checks there are.</summary>
public class SmokeSelectionTests
{
    private static readonly DeployConfig Config = ConfigLoader.Parse("""
        environments:
          staging:
            url: http://127.0.0.1:9/
            services: []
            smoke:
              - { name: Homepage loads, request: GET / }
              - { name: User can log in, request: GET /api/me }
              - { name: Job listing works, request: GET /api/jobs }
          bare:
            url: http://127.0.0.1:9/
            services: []
        """, Path.Join(Path.GetTempPath(), "skdeploy.yml"));

    private static EnvironmentConfig Staging => Config.Environment("staging");

    [Fact]
    public void Names_and_wildcards_pick_checks_in_the_configured_order_regardless_of_case()
    {
        Assert.Equal(["Homepage loads", "Job listing works"], SmokeSelection.Select(Staging, ["job*", "HOMEPAGE LOADS"]).Select(c => c.Name));
        Assert.Equal(["User can log in"], SmokeSelection.Select(Staging, ["User can log ?n"]).Select(c => c.Name));
        Assert.Equal(["Homepage loads", "Job listing works"], SmokeSelection.Select(Staging, ["[hj]*"]).Select(c => c.Name));
        Assert.Equal(3, SmokeSelection.Select(Staging, null).Count);
    }

    [Fact]
    public void An_unknown_name_is_named_with_the_checks_there_are()
    {
        var failure = Assert.Throws<DeployException>(() => SmokeSelection.Select(Staging, ["Homepage loads", "Payments work"]));

        Assert.Equal(SmokeSelection.SmokeCheckNotFound, failure.ErrorId);
        Assert.StartsWith("No smoke check in 'staging' matches -Name 'Payments work'. Its checks are: 'Homepage loads', 'User can log in', 'Job listing works'. Pass one of those names",
            failure.Message, StringComparison.Ordinal);
        Assert.Equal("Payments work", failure.Target);
    }

    [Fact]
    public void Wildcards_that_match_nothing_are_named_the_same_way()
    {
        var failure = Assert.Throws<DeployException>(() => SmokeSelection.Select(Staging, ["pay*", "*checkout*"]));

        Assert.Equal(SmokeSelection.SmokeCheckNotFound, failure.ErrorId);
        Assert.StartsWith("No smoke check in 'staging' matches -Name 'pay*', '*checkout*'. Its checks are: 'Homepage loads'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_in_an_environment_without_smoke_checks_says_how_to_add_them()
    {
        var failure = Assert.Throws<DeployException>(() => SmokeSelection.Select(Config.Environment("bare"), ["Homepage loads"]));

        Assert.Equal(SmokeSelection.SmokeCheckNotFound, failure.ErrorId);
        Assert.StartsWith("Environment 'bare' has no smoke checks, so -Name 'Homepage loads' matches nothing. Add a smoke: list", failure.Message, StringComparison.Ordinal);
    }
}
