using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Orchestration;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Identity;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.State.Lock;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.State;

/// <summary>
/// The lock and journal around an action, against the sandbox's Kubernetes API; each test in a namespace of its own.
/// Every action asks who is acting (a cluster-scoped SelfSubjectReview), so it runs apart from the tests that fault it.
/// </summary>
[Collection(ClusterScopedRequests.Name)]
public class EnvironmentChangeTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_rollout_is_recorded_Running_before_its_first_change_and_closed_with_its_steps_and_identity()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var me = await IdentityReader.WhoAmIAsync(cluster, CancellationToken.None);
        var request = Request(environment, new RecordSubject(RecordKind.Rollout, "v1.2.3", ["web"]));
        IReadOnlyList<DeploymentRecord> during = [];

        var outcome = await EnvironmentChange.RunAsync(cluster, request, OperationHost.Silent, async token =>
        {
            during = await DeploymentJournal.ListAsync(cluster, environment, token);
            return await RolloutWithUndo.StartAsync(cluster, new RolloutRequest(environment, [environment.Service("web")], "v1.2.3", true, Timeout), request.Admission, OperationHost.Silent, token);
        }, CancellationToken.None);
        var record = Assert.Single(await DeploymentJournal.ListAsync(cluster, environment, CancellationToken.None));
        var map = await ReadMapAsync(environment, record.Id);
        using var viewer = sandbox.ConnectAs(environment, "viewer");

        Assert.Equal(RecordStatus.Running, Assert.Single(during).Status);
        // Whoever may read the namespace reads the log: the viewer too.
        Assert.Equal(record.Id, Assert.Single(await DeploymentJournal.ListAsync(viewer, environment, CancellationToken.None)).Id);
        Assert.Equal(RolloutStatus.Complete, outcome.Rollouts.Single().Status);
        Assert.Equal((RecordKind.Rollout, "v1.2.3", "staging", "test", false), (record.Kind, record.Version, record.Environment, record.Action, record.Recovery));
        Assert.Equal(RecordStatus.Succeeded, record.Status);
        Assert.Equal((me.UserName, true, Environment.MachineName), (record.Who.UserName, record.Who.Verified, record.Who.HostName));
        var step = Assert.Single(record.Steps);
        Assert.Equal(("rollout web", "Complete", false), (step.Name, step.Status, step.Failed));
        Assert.Contains("skillancer/web:v1.2.2 -> skillancer/web:v1.2.3", step.Detail, StringComparison.Ordinal);
        Assert.True(record.EndedAt >= record.StartedAt);
        Assert.Equal("succeeded", map.Metadata.Labels[RecordCodec.StatusLabel]);
        Assert.Equal("v1.2.3", map.Metadata.Labels[RecordCodec.VersionLabel]);
        Assert.Equal("skillancer-deploy", map.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Null(LockHolder.Of(await ReadLeaseAsync(environment)));
    }

    [Fact]
    public async Task A_failed_tier_that_was_undone_is_recorded_RolledBack_with_both_steps()
    {
        var environment = await sandbox.NewEnvironmentAsync(progressDeadlineSeconds: 1);
        using var cluster = sandbox.Connect(environment);
        var request = Request(environment, new RecordSubject(RecordKind.Rollout, "v1.2.4-broken", ["web"]));
        var rollout = new RolloutRequest(environment, [environment.Service("web")], "v1.2.4-broken", true, Timeout) { UndoOnFailure = true };

        await EnvironmentChange.RunAsync(cluster, request, OperationHost.Silent, token => RolloutWithUndo.StartAsync(cluster, rollout, request.Admission, OperationHost.Silent, token), CancellationToken.None);
        var record = Assert.Single(await DeploymentJournal.ListAsync(cluster, environment, CancellationToken.None));

        Assert.Equal(RecordStatus.RolledBack, record.Status);
        Assert.Equal([("rollout web", "Failed", true, false), ("rollback web", "RolledBack", false, true)], record.Steps.Select(s => (s.Name, s.Status, s.Failed, s.Undo)));
    }

    [Fact]
    public async Task An_error_is_recorded_Failed_with_its_id_and_Ctrl_C_Abandoned()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var request = Request(environment, new RecordSubject(RecordKind.Canary, null, ["web"]));
        using var stop = new CancellationTokenSource();

        await Assert.ThrowsAsync<DeployException>(() => EnvironmentChange.RunAsync<object?>(cluster, request, OperationHost.Silent,
            _ => throw new DeployException("CanaryNotFound", DeployErrorCategory.ObjectNotFound, "no canary for web"), CancellationToken.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EnvironmentChange.RunAsync<object?>(cluster, request, OperationHost.Silent, async token =>
        {
            await stop.CancelAsync();
            token.ThrowIfCancellationRequested();
            return null;
        }, stop.Token));
        var records = await DeploymentJournal.ListAsync(cluster, environment, CancellationToken.None);

        Assert.Equal([RecordStatus.Abandoned, RecordStatus.Failed], records.Select(r => r.Status));
        Assert.Equal(("CanaryNotFound", "no canary for web"), (records[1].ErrorId, records[1].Error));
        Assert.Contains("Ctrl+C", Assert.Single(records[0].Notes), StringComparison.Ordinal);
        Assert.Null(LockHolder.Of(await ReadLeaseAsync(environment)));
    }

    [Fact]
    public async Task A_journal_that_cannot_be_written_stops_the_action_before_it_changes_anything()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var fault = await sandbox.AddFaultAsync(new { method = "POST", path = $"/api/v1/namespaces/{environment.Kubernetes.Namespace}/configmaps", status = 403, times = 1 });
        var ran = false;
        try
        {
            var refused = await Assert.ThrowsAsync<DeployException>(() => EnvironmentChange.RunAsync(cluster, Request(environment, new RecordSubject(RecordKind.Rollout, "v1.2.3", ["web"])), OperationHost.Silent, _ =>
            {
                ran = true;
                return Task.FromResult(0);
            }, CancellationToken.None));

            Assert.Equal(StateErrors.JournalUnavailable, refused.ErrorId);
            Assert.StartsWith("test did not start: the journal of staging could not be written (", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was changed.", refused.Message, StringComparison.Ordinal);
            Assert.False(ran);
            Assert.Null(LockHolder.Of(await ReadLeaseAsync(environment)));
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }

    [Fact]
    public async Task A_closing_write_that_keeps_failing_is_a_warning_and_the_action_still_returns()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var warnings = new List<string>();
        var fault = await sandbox.AddFaultAsync(new { method = "PUT", path = $"/api/v1/namespaces/{environment.Kubernetes.Namespace}/configmaps/*", status = 500, times = 10 });
        try
        {
            var result = await EnvironmentChange.RunAsync(cluster, Request(environment, new RecordSubject(RecordKind.Canary, null, ["web"])), new OperationHost(_ => { }, warnings.Add, _ => { }),
                _ => Task.FromResult(42), CancellationToken.None);
            var record = Assert.Single(await DeploymentJournal.ListAsync(cluster, environment, CancellationToken.None));

            Assert.Equal(42, result);
            Assert.Equal(RecordStatus.Running, record.Status);
            Assert.Contains(warnings, w => w.StartsWith($"The journal record {record.Id} of staging could not be closed", StringComparison.Ordinal) && w.Contains("Succeeded", StringComparison.Ordinal));
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }

    [Fact]
    public async Task Taking_over_a_dead_holder_s_lock_marks_its_record_Abandoned_and_notes_both()
    {
        var environment = (await sandbox.NewEnvironmentAsync()) is var e ? e with { State = e.State with { LeaseDuration = TimeSpan.FromSeconds(2) } } : null!;
        using var cluster = sandbox.Connect(environment);
        // What a killed process leaves: its record still Running, and a Lease it stopped renewing that names it.
        var ghost = new DeploymentRecord
        {
            Id = DeploymentRecord.NewId(DateTimeOffset.UtcNow.AddSeconds(-20)),
            Kind = RecordKind.Rollout,
            Environment = "staging",
            Version = "v1.2.3",
            Action = "Start-SkRollout",
            Who = new DeployerIdentity { UserName = "ghost@skillancer.test", Verified = true },
            StartedAt = DateTimeOffset.UtcNow.AddSeconds(-20),
        };
        await DeploymentJournal.OpenAsync(cluster, environment, ghost, CancellationToken.None);
        await sandbox.LeaveDeadHolderAsync(environment, ghost.Id);

        await EnvironmentChange.RunAsync(cluster, Request(environment, new RecordSubject(RecordKind.Rollback, null, ["web"]), StepKind.Recovery), OperationHost.Silent, _ => Task.FromResult(0), CancellationToken.None);
        var records = await DeploymentJournal.ListAsync(cluster, environment, CancellationToken.None);

        var mine = records.Single(r => r.Id != ghost.Id);
        var theirs = records.Single(r => r.Id == ghost.Id);
        Assert.Equal(RecordStatus.Abandoned, theirs.Status);
        Assert.Contains(theirs.Notes, n => n.Contains("took its expired lock over (record " + mine.Id, StringComparison.Ordinal));
        Assert.Contains(mine.Notes, n => n.StartsWith("Took the lock over from ghost@skillancer.test (Start-SkRollout v1.2.3", StringComparison.Ordinal) && n.EndsWith($"; its record {ghost.Id} is marked Abandoned.", StringComparison.Ordinal));
        Assert.True(mine.Recovery);
    }

    [Fact]
    public async Task Taking_over_from_a_holder_that_died_before_writing_its_record_says_so()
    {
        var environment = (await sandbox.NewEnvironmentAsync()) is var e ? e with { State = e.State with { LeaseDuration = TimeSpan.FromSeconds(2) } } : null!;
        using var cluster = sandbox.Connect(environment);
        await sandbox.LeaveDeadHolderAsync(environment, "20261203-141502-dead");

        await EnvironmentChange.RunAsync(cluster, Request(environment, new RecordSubject(RecordKind.Canary, null, ["web"])), OperationHost.Silent, _ => Task.FromResult(0), CancellationToken.None);
        var mine = Assert.Single(await DeploymentJournal.ListAsync(cluster, environment, CancellationToken.None));

        Assert.EndsWith("; its record 20261203-141502-dead was never written (it stopped before its first change).", Assert.Single(mine.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_journal_keeps_the_newest_records_of_journal_keep_and_prunes_the_rest()
    {
        var environment = (await sandbox.NewEnvironmentAsync()) is var e ? e with { State = e.State with { JournalKeep = 3 } } : null!;
        using var cluster = sandbox.Connect(environment);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await EnvironmentChange.RunAsync(cluster, Request(environment, new RecordSubject(RecordKind.Canary, $"v1.0.{i}", ["web"])), OperationHost.Silent, _ => Task.FromResult(0), CancellationToken.None);
        }

        var kept = await DeploymentJournal.ListAsync(cluster, environment, CancellationToken.None);

        Assert.Equal(["v1.0.4", "v1.0.3", "v1.0.2"], kept.Select(r => r.Version));
    }

    [Fact]
    public async Task A_record_with_over_1_MiB_of_step_output_is_capped_stored_and_says_so()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var output = string.Concat(Enumerable.Range(0, 60_000).Select(i => $"line {i} "));
        var steps = Enumerable.Range(0, 520).Select(i => new RecordStep { Name = $"step {i}", Status = "Complete", Detail = i < 3 ? output : $"ok {i} " + new string('x', 300) }).ToList();
        var record = new DeploymentRecord
        {
            Id = DeploymentRecord.NewId(DateTimeOffset.UtcNow),
            Kind = RecordKind.Rollout,
            Environment = "staging",
            Action = "test",
            Who = new DeployerIdentity { UserName = "alice@skillancer.test", Verified = true },
            StartedAt = DateTimeOffset.UtcNow,
            Steps = steps,
        };

        await DeploymentJournal.OpenAsync(cluster, environment, record, CancellationToken.None);
        var stored = Assert.Single(await DeploymentJournal.ListAsync(cluster, environment, CancellationToken.None));
        var map = await ReadMapAsync(environment, record.Id);

        Assert.True(3 * output.Length > 1024 * 1024);
        Assert.True(stored.Capped);
        Assert.Equal(RecordCodec.StepLimit, stored.Steps.Count);
        Assert.Equal(RecordCodec.DetailLimit, stored.Steps[0].Detail.Length);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(output))).ToLowerInvariant(), stored.Steps[0].DetailSha256);
        Assert.Contains("20 more steps were left out (a record keeps 500).", stored.Notes);
        Assert.Contains("The output of 3 step(s) was cut to 4096 characters; the SHA-256 of the whole output is kept.", stored.Notes);
        // Over 64 KiB of JSON is kept gzipped, far below the API server's 1 MiB.
        Assert.Null(map.Data);
        Assert.InRange(map.BinaryData["record.json.gz"].Length, 1, RecordCodec.ObjectLimit);
    }

    [Fact]
    public async Task Unlock_breaks_a_live_lock_only_with_Force_journals_it_and_abandons_the_holder_s_record()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var warnings = new List<string>();
        var holder = EnvironmentChange.RunAsync(cluster, Request(environment, new RecordSubject(RecordKind.Rollout, "v1.2.3", ["web"])), OperationHost.Silent, async token =>
        {
            started.SetResult();
            await release.Task.WaitAsync(token);
            return 0;
        }, CancellationToken.None);
        await started.Task;
        var unlock = Request(environment, new RecordSubject(RecordKind.Unlock, null, []), StepKind.Recovery);

        var refused = await Assert.ThrowsAsync<DeployException>(() => LockBreaker.BreakAsync(cluster, unlock, force: false, OperationHost.Silent, CancellationToken.None));
        var broken = await LockBreaker.BreakAsync(cluster, unlock, force: true, new OperationHost(_ => { }, warnings.Add, _ => { }), CancellationToken.None);
        var records = await DeploymentJournal.ListAsync(cluster, environment, CancellationToken.None);
        release.SetResult();
        await holder;

        Assert.Equal(StateErrors.UnlockRequiresForce, refused.ErrorId);
        Assert.Contains("Unlock-SkEnvironment -Environment staging -Force", refused.Message, StringComparison.Ordinal);
        Assert.Equal("test v1.2.3", broken!.BrokenHolder!.Action);
        var overridden = records.Single(r => r.Kind == RecordKind.Unlock);
        Assert.Equal((RecordStatus.Succeeded, true), (overridden.Status, overridden.Recovery));
        Assert.Contains(broken.BrokenHolder.Holder, Assert.Single(overridden.Steps).Detail, StringComparison.Ordinal);
        var abandoned = records.Single(r => r.Kind == RecordKind.Rollout);
        Assert.Equal((RecordStatus.Abandoned, abandoned.Id), (abandoned.Status, broken.AbandonedRecord));
        Assert.Contains(warnings, w => w.Contains("is broken", StringComparison.Ordinal));
    }

    private static ChangeRequest Request(EnvironmentConfig environment, RecordSubject subject, StepKind kind = StepKind.Change) =>
        new(environment, Admissions.For(environment, kind), subject);

    private async Task<V1ConfigMap> ReadMapAsync(EnvironmentConfig environment, string id)
    {
        using var admin = sandbox.ConnectAsAdmin(environment);
        return await admin.Client.CoreV1.ReadNamespacedConfigMapAsync(RecordCodec.ObjectName("staging", id), environment.Kubernetes.Namespace);
    }

    private async Task<V1Lease> ReadLeaseAsync(EnvironmentConfig environment)
    {
        using var admin = sandbox.ConnectAsAdmin(environment);
        return await admin.Client.CoordinationV1.ReadNamespacedLeaseAsync("skdeploy-staging", environment.Kubernetes.Namespace);
    }
}
