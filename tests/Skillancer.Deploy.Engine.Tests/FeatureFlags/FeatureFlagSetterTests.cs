using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Engine.FeatureFlags;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.FeatureFlags;

/// <summary>
/// The flag steps' entry points against the sandbox's feature-flag API: a change is sent only once its
/// request is sound and its admission covers it, which the sandbox's request log proves.
/// </summary>
public class FeatureFlagSetterTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    [Fact]
    public async Task The_kill_switch_runs_on_a_recovery_admission_and_a_change_does_not()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var kill = new FeatureFlagSetRequest(environment, new FeatureFlagChange("problematic_feature", false, null), false);
        var enable = new FeatureFlagSetRequest(environment, new FeatureFlagChange("new_dashboard", true, null), false);
        var recovery = Admissions.For(environment, StepKind.Recovery);

        var killed = await FeatureFlagSetter.SetAsync(kill, recovery, OperationHost.Silent, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<DeployException>(() => FeatureFlagSetter.SetAsync(enable, recovery, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(StepKind.Recovery, kill.Kind);
        Assert.False(killed!.Enabled);
        Assert.Equal("ChangeNotAdmitted", refused.ErrorId);
        Assert.Equal(1, await FlagPostsAsync(environment.Kubernetes.Namespace));
    }

    [Fact]
    public async Task A_flag_read_in_another_environment_or_under_another_name_is_refused_before_anything_is_sent()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var other = await sandbox.NewEnvironmentAsync("production");
        var read = (await FeatureFlagReader.ReadAsync(new FeatureFlagQuery(other, ["new_dashboard"], false), OperationHost.Silent, CancellationToken.None)).Single();
        var change = new FeatureFlagChange("new_dashboard", true, null);

        var elsewhere = Assert.Throws<DeployException>(() => new FeatureFlagSetRequest(environment, change, false) { From = read }.Validate());
        var renamed = Assert.Throws<DeployException>(() => new FeatureFlagSetRequest(other, change with { Name = "proposal_drafts" }, false) { From = read }.Validate());

        Assert.Equal(TargetMismatch.ErrorId, elsewhere.ErrorId);
        Assert.Contains("'production'", elsewhere.Message, StringComparison.Ordinal);
        Assert.Contains($"'{environment.Name}'", elsewhere.Message, StringComparison.Ordinal);
        Assert.Equal(TargetMismatch.ErrorId, renamed.ErrorId);
        Assert.Equal(0, await FlagPostsAsync(environment.Kubernetes.Namespace));
        Assert.Equal(0, await FlagPostsAsync(other.Kubernetes.Namespace));
    }

    [Fact]
    public async Task A_change_admitted_for_another_environment_or_declined_sends_nothing()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var request = new FeatureFlagSetRequest(environment, new FeatureFlagChange("new_dashboard", null, 25), false);
        var declining = new OperationHost(_ => { }, _ => { }, _ => { }, (_, _) => Approval.Declined);

        var mismatch = await Assert.ThrowsAsync<DeployException>(() => FeatureFlagSetter.SetAsync(request, Admissions.For("production"), OperationHost.Silent, CancellationToken.None));
        var declined = await FeatureFlagSetter.SetAsync(request, Admissions.For(environment), declining, CancellationToken.None);

        Assert.Equal(TargetMismatch.ErrorId, mismatch.ErrorId);
        Assert.Null(declined);
        Assert.Equal(0, await FlagPostsAsync(environment.Kubernetes.Namespace));
    }

    [Fact]
    public async Task Exact_names_are_read_one_by_one_and_wildcards_filter_the_list()
    {
        var environment = await sandbox.NewEnvironmentAsync();

        var exact = await FeatureFlagReader.ReadAsync(new FeatureFlagQuery(environment, ["proposal_drafts", "new_dashboard"], false), OperationHost.Silent, CancellationToken.None);
        var mixed = await FeatureFlagReader.ReadAsync(new FeatureFlagQuery(environment, ["new_dashboard", "PRO*"], false), OperationHost.Silent, CancellationToken.None);
        var missing = await Assert.ThrowsAsync<DeployException>(() => FeatureFlagReader.ReadAsync(new FeatureFlagQuery(environment, ["nope"], false), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(["proposal_drafts", "new_dashboard"], exact.Select(f => f.Name));
        Assert.Equal(["new_dashboard", "problematic_feature", "proposal_drafts"], mixed.Select(f => f.Name));
        Assert.All(mixed, f => Assert.Equal(environment.Name, f.Environment));
        Assert.Equal(FeatureFlagErrors.NotFound, missing.ErrorId);
    }

    // The POSTs the sandbox's feature-flag API of namespace ns has served.
    private async Task<int> FlagPostsAsync(string ns)
    {
        var all = await sandbox.Admin.GetFromJsonAsync<JsonArray>("sandbox/requests");
        return all!.Count(r => r!["method"]!.GetValue<string>() == "POST" && r["path"]!.GetValue<string>() == $"/svc/{ns}/internal/feature-flags");
    }
}
