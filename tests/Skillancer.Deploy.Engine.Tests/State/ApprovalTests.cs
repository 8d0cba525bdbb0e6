using k8s;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Approvals;
using Skillancer.Deploy.Engine.State.Identity;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.State.Lock;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.State;

/// <summary>
/// Approvals by a second person, against the sandbox's Kubernetes API and RBAC: the approver (lead@skillancer.test,
/// group eng-leads) approves with their own credentials, the deployer's change checks them before its first change.
/// Each test works in a copy of production in a namespace of its own (approval.approvers: [group:eng-leads]).
/// </summary>
[Collection(ClusterScopedRequests.Name)]
public class ApprovalTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    [Fact]
    public async Task The_approver_s_approval_lets_the_deployer_s_change_through_and_the_record_names_both()
    {
        var environment = await ProductionAsync();
        using var approver = sandbox.ConnectAs(environment, "approver");
        using var deployer = sandbox.ConnectAs(environment, "deployer");

        var approval = await ApprovalWriter.ApproveAsync(approver, new ApprovalRequest(environment, "1.2.3", "CHG-1042", null), Bookkeeping(environment), OperationHost.Silent, CancellationToken.None);
        var request = Change(environment, "v1.2.3");
        var ran = await EnvironmentChange.RunAsync(deployer, request, OperationHost.Silent, _ => Task.FromResult(true), CancellationToken.None);
        var records = await DeploymentJournal.ListAsync(deployer, environment, CancellationToken.None);

        Assert.True(ran);
        Assert.NotNull(approval);
        Assert.Equal(("v1.2.3", "lead@skillancer.test", true, "CHG-1042", "Valid"), (approval.Version, approval.Approver.UserName, approval.Approver.Verified, approval.Comment, approval.Status));
        Assert.Equal(environment.Approval.ValidFor, approval.ExpiresAt - approval.ApprovedAt);
        Assert.Equal("v1.2.3", request.Admission.ApprovedVersion);
        var rollout = records.Single(r => r.Kind == RecordKind.Rollout);
        Assert.Equal("deployer@skillancer.test", rollout.Who.UserName);
        Assert.Contains($"lead@skillancer.test (approval {approval.Id}", Assert.Single(rollout.ApprovedBy), StringComparison.Ordinal);
        var given = records.Single(r => r.Kind == RecordKind.Approval);
        Assert.Equal(("lead@skillancer.test", "v1.2.3", RecordStatus.Succeeded, true), (given.Who.UserName, given.Version, given.Status, given.Recovery));
        Assert.Equal("Approved", Assert.Single(given.Steps).Status);
    }

    [Fact]
    public async Task Without_an_approval_the_change_is_refused_with_the_command_to_send_and_nothing_is_written()
    {
        var environment = await ProductionAsync();
        using var deployer = sandbox.ConnectAs(environment, "deployer");
        var ran = false;

        var refused = await Assert.ThrowsAsync<DeployException>(() => EnvironmentChange.RunAsync(deployer, Change(environment, "v1.2.3"), OperationHost.Silent, _ => Task.FromResult(ran = true), CancellationToken.None));

        Assert.Equal(StateErrors.ApprovalRequired, refused.ErrorId);
        Assert.Contains($"Approve-SkDeployment -Environment {environment.Name} -Version v1.2.3", refused.Message, StringComparison.Ordinal);
        Assert.Contains("group:eng-leads", refused.Message, StringComparison.Ordinal);
        Assert.Contains("has none that counts", refused.Message, StringComparison.Ordinal);
        Assert.False(ran);
        Assert.Empty(await DeploymentJournal.ListAsync(deployer, environment, CancellationToken.None));
        Assert.Null(await EnvironmentLock.ReadHolderAsync(deployer, environment, CancellationToken.None));
        Assert.DoesNotContain(await sandbox.RequestsAsync(environment.Kubernetes.Namespace), r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE");
    }

    [Fact]
    public async Task An_approval_of_another_version_an_expired_one_and_the_deployer_s_own_do_not_count_and_the_message_says_why()
    {
        var environment = await ProductionAsync();
        using var deployer = sandbox.ConnectAs(environment, "deployer");
        var me = await IdentityReader.WhoAmIAsync(deployer, CancellationToken.None);
        var lead = new DeployerIdentity { UserName = "lead@skillancer.test", Groups = ["eng-leads", "system:authenticated"], Verified = true };
        await WriteAsync(environment, Approval(environment, "v1.2.4", lead, TimeSpan.FromHours(1)));
        await WriteAsync(environment, Approval(environment, "v1.2.3", lead, TimeSpan.FromHours(-1)));
        await WriteAsync(environment, Approval(environment, "1.2.3", me with { Groups = ["eng-leads"] }, TimeSpan.FromHours(1)));

        var refused = await Assert.ThrowsAsync<DeployException>(() => EnvironmentChange.RunAsync(deployer, Change(environment, "v1.2.3"), OperationHost.Silent, _ => Task.FromResult(0), CancellationToken.None));
        var selfApproving = environment with { Approval = environment.Approval with { AllowSelfApproval = true } };
        var admitted = await EnvironmentChange.RunAsync(deployer, Change(selfApproving, "v1.2.3"), OperationHost.Silent, _ => Task.FromResult(true), CancellationToken.None);

        Assert.Equal(StateErrors.ApprovalRequired, refused.ErrorId);
        Assert.Contains("lead@skillancer.test's expired at", refused.Message, StringComparison.Ordinal);
        Assert.Contains("your own does not count (allowSelfApproval: false)", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("v1.2.4", refused.Message, StringComparison.Ordinal);
        Assert.True(admitted);
    }

    [Fact]
    public async Task A_revoked_approval_stops_counting_and_the_revocation_is_journaled()
    {
        var environment = await ProductionAsync();
        using var approver = sandbox.ConnectAs(environment, "approver");
        using var deployer = sandbox.ConnectAs(environment, "deployer");
        var approval = (await ApprovalWriter.ApproveAsync(approver, new ApprovalRequest(environment, "v1.2.3", null, TimeSpan.FromHours(1)), Bookkeeping(environment), OperationHost.Silent, CancellationToken.None))!;

        var revoked = await ApprovalWriter.RevokeAsync(approver, environment, approval.Id, Bookkeeping(environment), OperationHost.Silent, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<DeployException>(() => EnvironmentChange.RunAsync(deployer, Change(environment, "v1.2.3"), OperationHost.Silent, _ => Task.FromResult(0), CancellationToken.None));
        var gone = await Assert.ThrowsAsync<DeployException>(() => ApprovalWriter.RevokeAsync(approver, environment, approval.Id, Bookkeeping(environment), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(("Revoked", "lead@skillancer.test"), (revoked!.Status, revoked.RevokedBy!.UserName));
        Assert.Equal(StateErrors.ApprovalRequired, refused.ErrorId);
        Assert.Equal(StateErrors.ApprovalNotFound, gone.ErrorId);
        Assert.Empty(await ApprovalStore.ListAsync(deployer, environment, null, CancellationToken.None));
        var revocation = (await DeploymentJournal.ListAsync(deployer, environment, CancellationToken.None)).First(r => r.Kind == RecordKind.Approval);
        Assert.Equal("Revoked", Assert.Single(revocation.Steps).Status);
    }

    [Fact]
    public async Task Two_required_approvals_need_two_different_approvers()
    {
        var environment = await ProductionAsync();
        var two = environment with { Approval = environment.Approval with { Required = 2 } };
        using var approver = sandbox.ConnectAs(environment, "approver");
        using var deployer = sandbox.ConnectAs(environment, "deployer");
        await ApprovalWriter.ApproveAsync(approver, new ApprovalRequest(two, "v1.2.3", null, null), Bookkeeping(two), OperationHost.Silent, CancellationToken.None);
        await ApprovalWriter.ApproveAsync(approver, new ApprovalRequest(two, "v1.2.3", "again", null), Bookkeeping(two), OperationHost.Silent, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<DeployException>(() => EnvironmentChange.RunAsync(deployer, Change(two, "v1.2.3"), OperationHost.Silent, _ => Task.FromResult(0), CancellationToken.None));

        Assert.Contains("needs 2 approvals", refused.Message, StringComparison.Ordinal);
        Assert.Contains("and has 1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_not_in_approval_approvers_is_refused_before_anything_is_written()
    {
        var environment = await ProductionAsync();
        using var viewer = sandbox.ConnectAs(environment, "viewer");
        using var deployer = sandbox.ConnectAs(environment, "deployer");

        var byViewer = await Assert.ThrowsAsync<DeployException>(() => ApprovalWriter.ApproveAsync(viewer, new ApprovalRequest(environment, "v1.2.3", null, null), Bookkeeping(environment), OperationHost.Silent, CancellationToken.None));
        var byDeployer = await Assert.ThrowsAsync<DeployException>(() => ApprovalWriter.ApproveAsync(deployer, new ApprovalRequest(environment, "v1.2.3", null, null), Bookkeeping(environment), OperationHost.Silent, CancellationToken.None));

        Assert.Equal((StateErrors.ApprovalForbidden, StateErrors.ApprovalForbidden), (byViewer.ErrorId, byDeployer.ErrorId));
        Assert.Contains("viewer@skillancer.test (groups skillancer-viewers, system:authenticated) is not in approval.approvers", byViewer.Message, StringComparison.Ordinal);
        Assert.Contains("Ask one of them", byViewer.Message, StringComparison.Ordinal);
        Assert.Empty(await ApprovalStore.ListAsync(deployer, environment, null, CancellationToken.None));
        Assert.Empty(await DeploymentJournal.ListAsync(deployer, environment, CancellationToken.None));
    }

    [Fact]
    public async Task When_the_configuration_lets_anyone_approve_the_cluster_s_RBAC_still_refuses_the_viewer()
    {
        var environment = await ProductionAsync();
        var anyone = environment with { Approval = environment.Approval with { Approvers = [] } };
        using var viewer = sandbox.ConnectAs(environment, "viewer");

        var refused = await Assert.ThrowsAsync<DeployException>(() => ApprovalWriter.ApproveAsync(viewer, new ApprovalRequest(anyone, "v1.2.3", null, null), Bookkeeping(anyone), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(StateErrors.ApprovalForbidden, refused.ErrorId);
        Assert.Contains("the cluster's RBAC does not let viewer@skillancer.test create secrets", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await ApprovalStore.ListAsync(viewer, environment, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_403_when_the_approval_is_written_is_ApprovalForbidden_and_the_record_says_Failed()
    {
        var environment = await ProductionAsync();
        using var approver = sandbox.ConnectAs(environment, "approver");
        var fault = await sandbox.AddFaultAsync(new { method = "POST", path = $"/api/v1/namespaces/{environment.Kubernetes.Namespace}/secrets", status = 403 });
        try
        {
            var refused = await Assert.ThrowsAsync<DeployException>(() => ApprovalWriter.ApproveAsync(approver, new ApprovalRequest(environment, "v1.2.3", null, null), Bookkeeping(environment), OperationHost.Silent, CancellationToken.None));

            Assert.Equal(StateErrors.ApprovalForbidden, refused.ErrorId);
            Assert.Contains("'create secrets'", refused.Message, StringComparison.Ordinal);
            var record = Assert.Single(await DeploymentJournal.ListAsync(approver, environment, CancellationToken.None));
            Assert.Equal((RecordKind.Approval, RecordStatus.Failed, StateErrors.ApprovalForbidden), (record.Kind, record.Status, record.ErrorId));
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }

    [Fact]
    public async Task WhatIf_writes_no_approval_and_no_record()
    {
        var environment = await ProductionAsync();
        using var approver = sandbox.ConnectAs(environment, "approver");
        var asked = new List<string>();
        var whatIf = new OperationHost(_ => { }, _ => { }, _ => { }, (target, action) => { asked.Add($"{action} {target}"); return Skillancer.Deploy.Engine.Primitives.Approval.WhatIf; }, describeOnly: true);

        var approval = await ApprovalWriter.ApproveAsync(approver, new ApprovalRequest(environment, "v1.2.3", null, null), Bookkeeping(environment), whatIf, CancellationToken.None);

        Assert.Null(approval);
        Assert.StartsWith("Approve, valid until", Assert.Single(asked), StringComparison.Ordinal);
        Assert.Empty(await ApprovalStore.ListAsync(approver, environment, null, CancellationToken.None));
        Assert.DoesNotContain(await sandbox.RequestsAsync(environment.Kubernetes.Namespace), r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE");
    }

    [Theory]
    [InlineData("staging", null, "does not require approval")]
    [InlineData("production", 9, "at most 08:00:00")]
    [InlineData("production", -1, "more than zero")]
    public void A_request_that_cannot_be_used_is_InvalidApproval_before_any_request(string name, int? hours, string message)
    {
        var request = new ApprovalRequest(sandbox.Config.Environment(name), "1.2.3", null, hours is { } h ? TimeSpan.FromHours(h) : null);

        var error = Assert.Throws<DeployException>(() => request.Validate());

        Assert.Equal(StateErrors.InvalidApproval, error.ErrorId);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_that_is_not_a_release_is_InvalidVersion()
    {
        var error = Assert.Throws<DeployException>(() => new ApprovalRequest(sandbox.Config.Environment("production"), "latest", null, null).Validate());

        Assert.Equal("InvalidVersion", error.ErrorId);
    }

    private Task<EnvironmentConfig> ProductionAsync() => sandbox.NewEnvironmentAsync("production");

    private static ChangeRequest Change(EnvironmentConfig environment, string version) =>
        new(environment, Admissions.NeedingApproval(environment), new RecordSubject(RecordKind.Rollout, version, ["web"]));

    private static Admission Bookkeeping(EnvironmentConfig environment) => EnvironmentPolicy.Bookkeeping(environment, "test");

    private static DeploymentApproval Approval(EnvironmentConfig environment, string version, DeployerIdentity who, TimeSpan left) => new()
    {
        Id = DeploymentRecord.NewId(DateTimeOffset.UtcNow),
        Environment = environment.Name,
        Version = version,
        Approver = who,
        ApprovedAt = DateTimeOffset.UtcNow - TimeSpan.FromHours(2),
        ExpiresAt = DateTimeOffset.UtcNow + left,
    };

    // An approval written as the sandbox's admin: one the approver cmdlets would not write (expired, or the deployer's own).
    private async Task WriteAsync(EnvironmentConfig environment, DeploymentApproval approval)
    {
        using var admin = sandbox.ConnectAsAdmin(environment);
        await admin.Client.CoreV1.CreateNamespacedSecretAsync(ApprovalCodec.ToSecret(approval, environment.Kubernetes.Namespace), environment.Kubernetes.Namespace);
    }
}
