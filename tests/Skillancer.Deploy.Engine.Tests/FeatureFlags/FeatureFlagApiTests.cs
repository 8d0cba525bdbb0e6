using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.FeatureFlags;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.FeatureFlags;

/// <summary>The runbook's feature-flag calls against the sandbox's API, each test with the flags of its own namespace.</summary>
public class FeatureFlagApiTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    [Fact]
    public async Task Enabling_disabling_and_a_percentage_send_the_runbooks_bodies_and_return_the_new_state()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var verbose = new List<string>();
        using var api = FeatureFlagApi.Open(environment, false, new OperationHost(verbose.Add, _ => { }, _ => { }));

        var on = await api.SetAsync(new FeatureFlagChange("new_dashboard", true, null), CancellationToken.None);
        var quarter = await api.SetAsync(new FeatureFlagChange("new_dashboard", null, 25), CancellationToken.None);
        var off = await api.SetAsync(new FeatureFlagChange("problematic_feature", false, null), CancellationToken.None);
        var read = await api.GetAsync("new_dashboard", CancellationToken.None);
        var all = await api.ListAsync(CancellationToken.None);

        Assert.True(on.Enabled);
        Assert.Equal(25, quarter.RolloutPercentage);
        Assert.True(quarter.Enabled);
        Assert.False(off.Enabled);
        Assert.Equal(quarter with { ChangedAt = read.ChangedAt }, read);
        Assert.True(read.ChangedAt > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(["new_dashboard", "problematic_feature", "proposal_drafts"], all.Select(f => f.Name));
        Assert.Contains(verbose, v => v.EndsWith("""{"flag":"new_dashboard","enabled":true} -> 200""", StringComparison.Ordinal));
        Assert.Contains(verbose, v => v.EndsWith("""{"flag":"new_dashboard","rollout_percentage":25} -> 200""", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_token_names_the_variable_and_never_the_token()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        Environment.SetEnvironmentVariable("SKDEPLOY_TEST_WRONG_ADMIN_TOKEN", "wrong-token-5f2a9c");
        var wrong = environment with { FeatureFlags = environment.FeatureFlags! with { TokenEnv = "SKDEPLOY_TEST_WRONG_ADMIN_TOKEN" } };
        using var api = FeatureFlagApi.Open(wrong, false, OperationHost.Silent);

        var failure = await Assert.ThrowsAsync<DeployException>(() => api.SetAsync(new FeatureFlagChange("new_dashboard", true, null), CancellationToken.None));

        Assert.Equal(FeatureFlagErrors.AccessDenied, failure.ErrorId);
        Assert.Contains("$SKDEPLOY_TEST_WRONG_ADMIN_TOKEN", failure.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token-5f2a9c", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_flag_is_FeatureFlagNotFound_for_reads_and_writes()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var api = FeatureFlagApi.Open(environment, false, OperationHost.Silent);

        var read = await Assert.ThrowsAsync<DeployException>(() => api.GetAsync("no_such_flag", CancellationToken.None));
        var write = await Assert.ThrowsAsync<DeployException>(() => api.SetAsync(new FeatureFlagChange("no_such_flag", true, null), CancellationToken.None));

        Assert.Equal(FeatureFlagErrors.NotFound, read.ErrorId);
        Assert.Equal(FeatureFlagErrors.NotFound, write.ErrorId);
        Assert.Contains("Get-SkFeatureFlag", read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_API_answers_and_reported_when_it_never_does()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var path = environment.FeatureFlags!.Url.AbsolutePath;
        using var api = FeatureFlagApi.Open(environment, false, OperationHost.Silent);
        var flaky = await sandbox.AddFaultAsync(new { method = "POST", path, status = 503, times = 2 });
        FeatureFlag recovered;
        try
        {
            recovered = await api.SetAsync(new FeatureFlagChange("new_dashboard", true, null), CancellationToken.None);
        }
        finally
        {
            await sandbox.RemoveFaultAsync(flaky);
        }

        var down = await sandbox.AddFaultAsync(new { method = "GET", path, status = 500 });
        try
        {
            var failure = await Assert.ThrowsAsync<DeployException>(() => api.ListAsync(CancellationToken.None));
            Assert.Equal(FeatureFlagErrors.Unavailable, failure.ErrorId);
            Assert.Contains("HTTP 500", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            await sandbox.RemoveFaultAsync(down);
        }

        Assert.True(recovered.Enabled);
    }

    [Fact]
    public void No_featureFlags_section_and_an_unset_token_are_clear_errors()
    {
        var environment = new EnvironmentConfig
        {
            Name = "qa", Registry = "r", Services = [], Thresholds = ErrorRateThresholds.Runbook, Monitor = MonitorSettings.Runbook,
            Kubernetes = new KubernetesSettings(null, null, "qa"), ConfigPath = "/tmp/skdeploy.yml",
        };

        var none = Assert.Throws<DeployException>(() => FeatureFlagApi.Open(environment, false, OperationHost.Silent));
        var unset = Assert.Throws<DeployException>(() => FeatureFlagApi.Open(
            environment with { FeatureFlags = new FeatureFlagSettings(new Uri("http://127.0.0.1:9/flags"), "SKDEPLOY_TEST_UNSET_ADMIN_TOKEN") }, false, OperationHost.Silent));

        Assert.Equal(FeatureFlagErrors.NotConfigured, none.ErrorId);
        Assert.Equal("SecretNotSet", unset.ErrorId);
    }
}
