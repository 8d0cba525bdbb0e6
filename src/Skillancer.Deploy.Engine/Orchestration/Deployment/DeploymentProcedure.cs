using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration.Deployment;

/// <summary>
/// Invoke-SkDeployment's entry point: the runbook's Deployment Process as one gated run. Before anything is written:
/// the request is checked, and a version promoted from another environment must have succeeded there. Then, through
/// <see cref="EnvironmentChange"/>: the version's approvals where required, the environment's lock and the run's
/// journal record, and inside them the steps (<see cref="DeploymentExecution"/>); then the reports a CI runner asked for
/// (<see cref="DeploymentReports"/>), from the closed record. Under -WhatIf it only describes the
/// plan (<see cref="DeploymentPlan"/>): no lock, no record, no mutating request. With -Resume it carries on the
/// environment's run whose process died (<see cref="RunResumption"/>): its lock taken over once the lease expires, its
/// record continued, and its steps from the first one it did not finish.
/// </summary>
public static class DeploymentProcedure
{
    /// <summary>
    /// Runs (or, under -WhatIf, plans) the deployment. Throws InvalidVersion, InvalidTimeout, CanaryNotConfigured, InvalidCanaryAnalysis,
    /// PromotionRequired, ApprovalRequired, DeploymentLocked or JournalUnavailable before any change; a step that fails
    /// later is in the returned run, with its DeploymentFailed error (<see cref="DeploymentRun.Failure"/>).
    /// </summary>
    public static async Task<DeploymentRun> RunAsync(
        ClusterConnection cluster, DeploymentRequest request, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        request.Validate(admission.EmergencyReason is not null);
        var resumption = request.Resume ? await RunResumption.FindAsync(cluster, environment, Resumable(environment), request.Version, cancellationToken).ConfigureAwait(false) : null;
        if (resumption is not null)
        {
            request = request.Resuming(resumption.Record) with { LockWait = RunResumption.LockWait(environment, request.LockWait) };
        }

        var (tag, watch) = request.Validate(admission.EmergencyReason is not null);
        if (host.DescribeOnly)
        {
            return await DeploymentPlan.DescribeAsync(cluster, request, tag, watch, admission.EmergencyReason, host, cancellationToken).ConfigureAwait(false);
        }

        await PromotionCheck.RequireAsync(request.Config, environment, tag, host, cancellationToken).ConfigureAwait(false);
        var id = resumption?.Record.Id ?? DeploymentRecord.NewId(DateTimeOffset.UtcNow);
        var change = new ChangeRequest(environment, admission, new RecordSubject(RecordKind.Deploy, tag, [.. environment.Services.Select(s => s.Name)]))
        {
            LockWait = request.LockWait,
            RecordId = id,
            Resumes = resumption?.Record,
        };
        var execution = new DeploymentExecution(cluster, request, admission, tag, watch, id, host) { Resumption = resumption };
        var run = await EnvironmentChange.RunAsync(cluster, change, host, execution.ExecuteAsync, cancellationToken).ConfigureAwait(false);
        return run with { Reports = await DeploymentReports.WriteAsync(cluster, request, id, host, cancellationToken).ConfigureAwait(false) };
    }

    // The deployment run -Resume carries on, as its errors name it.
    private static ResumableRun Resumable(Configuration.EnvironmentConfig environment) => new(
        RecordKind.Deploy, "deployment run", $"Invoke-SkDeployment -Environment {environment.Name} -Version <version>", $"Invoke-SkDeployment -Environment {environment.Name} -Resume");
}
