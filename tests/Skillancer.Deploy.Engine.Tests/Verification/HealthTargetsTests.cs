using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification;

namespace Skillancer.Deploy.Engine.Tests.Verification;

public class HealthTargetsTests
{
    [Fact]
    public void A_service_without_a_health_endpoint_cannot_be_checked_and_says_how_to_fix_it()
    {
        var service = Service() with { Health = null };

        var error = Assert.Throws<DeployException>(() => HealthTargets.For(service));

        Assert.Equal(HealthTargets.NotConfigured, error.ErrorId);
        Assert.Contains("health: <url>", error.Message);
    }

    [Fact]
    public void A_token_variable_that_is_not_set_stops_the_check_with_SecretNotSet()
    {
        var service = Service() with { HealthTokenEnv = "SKDEPLOY_TEST_NEVER_SET_TOKEN" };

        var error = Assert.Throws<DeployException>(() => HealthTargets.For(service));

        Assert.Equal("SecretNotSet", error.ErrorId);
        Assert.Contains("SKDEPLOY_TEST_NEVER_SET_TOKEN", error.Message);
    }

    private static ServiceConfig Service() => new()
    {
        Name = "web", Environment = "staging", DisplayName = "Web App", Tier = ServiceTier.Frontend,
        Deployment = "web", Container = "web", Image = "web", Health = new Uri("http://127.0.0.1/api/health"),
    };
}
