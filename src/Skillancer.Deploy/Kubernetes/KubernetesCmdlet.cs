using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Orchestration;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// A cmdlet that works on an environment's cluster: -Environment and -Service from skdeploy.yml (or
/// from the pipeline, by property name), and -Kubeconfig / -Context to override how it connects.
/// </summary>
public abstract class KubernetesCmdlet : ConfiguredCmdlet
{
    /// <summary>
    /// <para type="description">The environment, from skdeploy.yml. Binds from the pipeline by property name (rollout
    /// results, deployments, releases with an Environment property).</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">A kubeconfig to use instead of the environment's kubernetes.kubeconfig. Without either,
    /// $env:KUBECONFIG, then ~/.kube/config, then the in-cluster service account are used.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>
    /// <para type="description">A kubeconfig context to use instead of the environment's kubernetes.context (or the
    /// kubeconfig's current context).</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    /// <summary>-Kubeconfig as a file system path; null when not given.</summary>
    protected string? KubeconfigPath => Kubeconfig is null ? null : GetUnresolvedProviderPathFromPSPath(Kubeconfig);

    /// <summary>The environment named by -Environment.</summary>
    protected EnvironmentConfig TargetEnvironment => Config.Environment(Environment);

    /// <summary>The services named, or every service of the environment (in the runbook's order).</summary>
    protected IReadOnlyList<ServiceConfig> SelectServices(IEnumerable<string>? names)
    {
        var environment = TargetEnvironment;
        return names is null ? environment.Services : names.Select(environment.Service).Distinct().ToList();
    }

    /// <summary>Writes a rollout's results and its rollbacks', then the error of each failed one and each rollback that could not be sent.</summary>
    protected void WriteOutcome(RolloutOutcome outcome) => WriteChanges([.. outcome.Rollouts, .. outcome.Rollbacks], outcome.UndoErrors);

    /// <summary>Writes <paramref name="results"/> first, then each one's failure and the <paramref name="more"/> errors, so a script that stops at the first error has every result.</summary>
    protected void WriteChanges(IReadOnlyList<DeploymentChange> results, IEnumerable<DeployException>? more = null)
    {
        foreach (var result in results)
        {
            WriteObject(result);
        }

        WriteErrors(results.Select(r => r.Failure()).OfType<DeployException>().Concat(more ?? []));
    }

    /// <summary>Writes each error in turn.</summary>
    protected void WriteErrors(IEnumerable<DeployException> errors)
    {
        foreach (var error in errors)
        {
            WriteError(error);
        }
    }

    /// <summary>Runs <paramref name="operation"/> against the environment's cluster, connected for this call only.</summary>
    protected T OnCluster<T>(EnvironmentConfig environment, Func<ClusterConnection, OperationHost, CancellationToken, Task<T>> operation)
    {
        var open = ClusterOpener(environment);
        return Await(async (host, token) =>
        {
            using var cluster = open(host);
            return await operation(cluster, host, token).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Runs an admitted change against the environment's cluster through <see cref="EnvironmentChange"/>: its version's
    /// approvals checked where required, under the environment's lock (waiting up to -LockTimeout for another holder,
    /// else DeploymentLocked) and recorded in its journal (<paramref name="subject"/> says what the record is about).
    /// -WhatIf takes no lock and writes no record.
    /// </summary>
    protected T OnCluster<T>(Admission admission, EnvironmentConfig environment, RecordSubject subject, Func<ClusterConnection, OperationHost, CancellationToken, Task<T>> operation) =>
        Change(admission, environment, subject, connect: true, (cluster, host, token) => operation(cluster!, host, token));

    /// <summary>Connects as -Kubeconfig (resolved here, on the pipeline thread) and -Context say, else as the environment's kubernetes section.</summary>
    protected override Func<OperationHost, ClusterConnection> ClusterOpener(EnvironmentConfig environment)
    {
        var kubeconfig = KubeconfigPath;
        var context = Context;
        return host => ClusterConnection.Open(environment.Kubernetes, kubeconfig, context, host);
    }

    /// <inheritdoc/>
    protected override PolicySwitches NewSwitches() => new LockingPolicySwitches();
}
