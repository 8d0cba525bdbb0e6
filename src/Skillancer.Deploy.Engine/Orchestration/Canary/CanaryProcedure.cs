using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Orchestration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>
/// Invoke-SkCanary's entry point: the runbook's Canary Deployment ("deploy to 5% of traffic, monitor for 1 hour, if
/// successful gradually increase, full rollout") as one gated run. The request and its analysis are checked before
/// anything is asked of the cluster; then, through <see cref="EnvironmentChange"/> (approvals where required, the
/// environment's lock, one journal record), <see cref="CanaryProgression"/> runs it. Under -WhatIf each change is only
/// described: no lock, no record, no mutating request.
/// </summary>
public static class CanaryProcedure
{
    /// <summary>
    /// Runs (or, under -WhatIf, describes) the canary, or with -Resume carries on the one whose process died; null under
    /// -WhatIf or when its start is declined. Throws InvalidVersion, CanaryNotConfigured, PrometheusNotConfigured,
    /// InvalidCanaryAnalysis, NothingToResume, ResumeVersionMismatch, ApprovalRequired or DeploymentLocked before any change; an aborted canary is in the returned run, with its CanaryAborted error
    /// (<see cref="CanaryRun.Failure"/>).
    /// </summary>
    public static async Task<CanaryRun?> RunAsync(ClusterConnection cluster, CanaryRequest request, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        admission.Covers(environment.Name, StepKind.Change);
        var resumption = request.Resume
            ? await RunResumption.FindAsync(cluster, environment, Resumable(request), request.Version, cancellationToken).ConfigureAwait(false)
            : null;
        if (resumption is not null)
        {
            request = request.Resuming(resumption.Record) with { LockWait = RunResumption.LockWait(environment, request.LockWait) };
        }

        var (tag, analysis) = request.Validate();
        if (host.DescribeOnly)
        {
            Describe(request, tag, analysis, host);
            return null;
        }

        var id = resumption?.Record.Id ?? DeploymentRecord.NewId(DateTimeOffset.UtcNow);
        var change = new ChangeRequest(environment, admission, new RecordSubject(RecordKind.Canary, tag, [request.Service.Name]))
        {
            LockWait = request.LockWait,
            RecordId = id,
            Resumes = resumption?.Record,
        };
        var progression = new CanaryProgression(cluster, request, analysis, tag, admission, id, host) { Resumption = resumption };
        return await EnvironmentChange.RunAsync(cluster, change, host, progression.ExecuteAsync, cancellationToken).ConfigureAwait(false);
    }

    // The canary -Resume carries on, as its errors name it.
    private static ResumableRun Resumable(CanaryRequest request) => new(
        RecordKind.Canary,
        $"canary of {request.Service.Name}",
        $"Invoke-SkCanary -Environment {request.Environment.Name} -Service {request.Service.Name} -Version <version>",
        $"Invoke-SkCanary -Environment {request.Environment.Name} -Service {request.Service.Name} -Resume",
        request.Service.Name);

    // -WhatIf: what each step would change, in order; nothing is sent.
    private static void Describe(CanaryRequest request, string tag, Configuration.CanaryAnalysisSettings analysis, OperationHost host)
    {
        var canary = CanaryManager.Settings(request.Service);
        var ns = request.Environment.Kubernetes.Namespace;
        var route = $"VirtualService/{canary.VirtualService} in namespace {ns} ({request.Environment.Name})";
        host.ShouldProcess($"deployment/{request.Service.Deployment}{CanaryManager.Suffix} in namespace {ns} ({request.Environment.Name})", $"Run canary {tag}, then route {analysis.Steps[0]}% to {canary.CanarySubset}");
        foreach (var weight in analysis.Steps.Skip(1).Where(w => w < 100))
        {
            host.ShouldProcess(route, $"After {Primitives.DurationParser.Format(analysis.StepDuration)} of passing analyses, route {weight}% to {canary.CanarySubset}");
        }

        host.ShouldProcess($"deployment/{request.Service.Deployment} in namespace {ns} ({request.Environment.Name})",
            $"After the last step, promote canary {tag}: roll out, route 100% to {canary.StableSubset}, delete {request.Service.Deployment}{CanaryManager.Suffix}");
    }
}
