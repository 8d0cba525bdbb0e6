using Skillancer.Deploy.Engine.Cdn;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.FeatureFlags;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Primitives;

/// <summary>Each request checks every part of itself before the first change, with an error id that says which.</summary>
public class RequestValidationTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private EnvironmentConfig Staging => sandbox.Config.Environment("staging");

    [Theory]
    [InlineData(0, "-Timeout 0s is not a usable timeout for a rollback")]
    [InlineData(-3, "-Timeout -3s is not a usable timeout")]
    [InlineData(0.25, "-Timeout 250ms is shorter than one poll (1s)")]
    public void A_timeout_that_is_zero_negative_or_shorter_than_a_poll_is_InvalidTimeout(double seconds, string message)
    {
        var failure = Assert.Throws<DeployException>(() => new RollbackRequest(Staging, Staging.Service("web"), 0, true, TimeSpan.FromSeconds(seconds)).Validate());

        Assert.Equal(TimeoutCheck.InvalidTimeout, failure.ErrorId);
        Assert.StartsWith(message, failure.Message, StringComparison.Ordinal);
        Assert.Contains("leave -Timeout out to use the default", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wait_checks_its_timeout_too() =>
        Assert.Equal(TimeoutCheck.InvalidTimeout, Assert.Throws<DeployException>(() => new RolloutWaitRequest(Staging, [], TimeSpan.Zero).Validate()).ErrorId);

    [Fact]
    public void A_wait_that_undoes_must_be_admitted_for_its_own_environment() =>
        Assert.Equal(TargetMismatch.ErrorId, Assert.Throws<DeployException>(() =>
            new RolloutWaitRequest(Staging, [], TimeSpan.FromMinutes(1)) { Undo = Admissions.For("production", StepKind.Recovery) }.Validate()).ErrorId);

    [Fact]
    public void A_rollout_needs_a_service_and_a_valid_tag()
    {
        Assert.Equal("NoServices", Assert.Throws<DeployException>(() => new RolloutRequest(Staging, [], "v1.2.3", true, TimeSpan.FromMinutes(1)).Validate()).ErrorId);
        Assert.Equal("InvalidVersion", Assert.Throws<DeployException>(() => new RolloutRequest(Staging, Staging.Services, "a/b", true, TimeSpan.FromMinutes(1)).Validate()).ErrorId);
    }

    [Fact]
    public void A_cache_clear_that_waits_needs_a_timeout_of_at_least_one_poll()
    {
        var request = new CacheClearRequest(Staging, ["/*"]) { Wait = true, Timeout = TimeSpan.Zero };

        Assert.Equal(TimeoutCheck.InvalidTimeout, Assert.Throws<DeployException>(() => request.Validate()).ErrorId);
        Assert.Equal(TimeoutCheck.InvalidTimeout, Assert.Throws<DeployException>(() => (request with { Timeout = TimeSpan.FromMilliseconds(500) }).Validate()).ErrorId);
        Assert.Equal(["/*"], (request with { Wait = false }).Validate());
    }

    [Theory]
    [InlineData("new_dashboard", null, 101)]
    [InlineData("new_dashboard", true, 10)]
    [InlineData("new_dashboard", null, null)]
    [InlineData(" ", true, null)]
    public void A_flag_change_is_one_switch_or_one_percentage_of_a_named_flag(string name, bool? enabled, int? percentage) =>
        Assert.Equal(FeatureFlagErrors.InvalidChange, Assert.Throws<DeployException>(() => new FeatureFlagChange(name, enabled, percentage).Validate()).ErrorId);
}
