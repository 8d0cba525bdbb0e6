using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Orchestration.Deployment;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Tests.Orchestration;

/// <summary>How a deployment run's steps become its record: RolledBack only when a failure was followed by a rollback that held.</summary>
public class DeploymentRunTests
{
    private static DeploymentStep Step(string name, DeploymentStepStatus status, bool undo = false) => new(name, status, TimeSpan.FromSeconds(1), name) { Undo = undo };

    private static DeploymentRun Run(params DeploymentStep[] steps) => new() { Environment = "staging", Version = "v1.2.3", Steps = steps };

    [Fact]
    public void Every_step_done_is_Succeeded_warnings_and_skips_included()
    {
        var outcome = Run(Step("Preflight", DeploymentStepStatus.Warning), Step("Migrations", DeploymentStepStatus.Skipped), Step("Rollout", DeploymentStepStatus.Succeeded)).ToRecordOutcome();

        Assert.Equal(RecordStatus.Succeeded, outcome.Status);
        Assert.Equal(["Warning", "Skipped", "Succeeded"], outcome.Steps.Select(s => s.Status));
    }

    [Fact]
    public void A_failure_rolled_back_is_RolledBack_and_a_rollback_that_failed_is_Failed()
    {
        var held = Run(Step("Rollout", DeploymentStepStatus.Succeeded), Step("Error-rate watch", DeploymentStepStatus.Failed), Step("Rollback", DeploymentStepStatus.Succeeded, undo: true)).ToRecordOutcome();
        var broke = Run(Step("Rollout", DeploymentStepStatus.Failed), Step("Rollback", DeploymentStepStatus.Failed, undo: true)).ToRecordOutcome();

        Assert.Equal(RecordStatus.RolledBack, held.Status);
        Assert.True(held.Steps.Single(s => s.Name == "Rollback").Undo);
        Assert.Equal(RecordStatus.Failed, broke.Status);
    }

    [Fact]
    public void A_failure_left_in_place_with_NoRollback_is_Failed_and_carries_its_error()
    {
        var failure = DeploymentErrors.Failed("staging", "v1.2.3", "Smoke", "Teapot failed.", "20261204-065548-2942", "-NoRollback left the services as the failure found them.");
        var outcome = (Run(Step("Smoke", DeploymentStepStatus.Failed), Step("Rollback", DeploymentStepStatus.Skipped)) with { Failure = failure }).ToRecordOutcome();

        Assert.Equal(RecordStatus.Failed, outcome.Status);
        Assert.Equal(DeploymentErrors.DeploymentFailed, outcome.ErrorId);
        Assert.Equal(
            "The deployment of v1.2.3 to staging failed at Smoke: Teapot failed. -NoRollback left the services as the failure found them. " +
            "The record says the rest: Get-SkDeploymentLog -Environment staging -Id 20261204-065548-2942.",
            outcome.Error);
    }

    [Fact]
    public void A_resumed_run_carries_on_with_the_options_its_record_kept_and_the_ones_given_again_win()
    {
        var config = ConfigLoader.Parse("""
            environments:
              staging:
                url: http://127.0.0.1:9/
                services: []
            """, Path.Join(Path.GetTempPath(), "skdeploy.yml"));
        var started = new DeploymentRequest(config, config.Environment("staging"), "1.2.3", ".") { MonitorDuration = TimeSpan.FromSeconds(20), AcceptPreflightWarnings = true };
        var record = new DeploymentRecord
        {
            Id = "20261204-091157-ebb0", Kind = RecordKind.Deploy, Environment = "staging", Version = "v1.2.3", Action = "Invoke-SkDeployment",
            Who = new Engine.State.Identity.DeployerIdentity { UserName = "ci@skillancer.test", Verified = true }, StartedAt = DateTimeOffset.UtcNow, Parameters = started.Parameters(),
        };

        var resumed = new DeploymentRequest(config, config.Environment("staging"), "", ".") { Resume = true }.Resuming(record);
        var overridden = new DeploymentRequest(config, config.Environment("staging"), "", ".") { Resume = true, MonitorDuration = TimeSpan.FromSeconds(40) }.Resuming(record);

        Assert.Equal(new Dictionary<string, string> { ["MonitorDuration"] = "20s", ["AcceptPreflightWarnings"] = "true" }, started.Parameters());
        Assert.Equal(("v1.2.3", TimeSpan.FromSeconds(20), true, false), (resumed.Version, resumed.MonitorDuration, resumed.AcceptPreflightWarnings, resumed.NoRollback));
        Assert.Equal(TimeSpan.FromSeconds(40), overridden.MonitorDuration);
    }

    [Fact]
    public void A_guard_reports_the_boolean_and_only_rollback_failures_when_quiet_and_everything_otherwise()
    {
        var summary = new Skillancer.Deploy.Engine.Verification.ErrorRate.ErrorRateSummary
        {
            Environment = "staging", Services = ["web"], Verdict = Skillancer.Deploy.Engine.Verification.ErrorRate.WatchVerdict.Passed, RollbackConfirmed = false, Reason = "no breach",
            WorstLevel = Skillancer.Deploy.Engine.Verification.ErrorRate.ErrorRateLevel.Ok, Samples = 3, Breaches = 0, Unknown = 0, Duration = TimeSpan.FromSeconds(3),
        };
        var broken = new Skillancer.Deploy.Engine.Primitives.DeployException("RollbackFailed", Skillancer.Deploy.Engine.Primitives.DeployErrorCategory.InvalidResult, "a rollback could not be sent", null);
        var result = new Engine.Orchestration.ErrorRateGuardResult(summary, [], [broken]);

        var (quiet, quietErrors) = result.Report(quiet: true);
        var (full, fullErrors) = result.Report(quiet: false);

        Assert.Equal([true], quiet);
        Assert.Equal([broken], quietErrors);
        Assert.Equal([summary], full);
        Assert.Equal([broken], fullErrors);
    }
}
