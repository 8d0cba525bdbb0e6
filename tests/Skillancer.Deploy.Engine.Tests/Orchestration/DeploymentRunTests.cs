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
}
