using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>A cmdlet that works on one service's Istio canary (its services[].canary section).</summary>
public abstract class CanaryCmdlet : KubernetesCmdlet, IChangesEnvironment
{
    /// <summary>
    /// <para type="description">The service whose canary to work on. It needs a canary section in skdeploy.yml
    /// (services[].canary: virtualService, stableSubset, canarySubset, and optionally replicas). Binds from the
    /// pipeline by property name.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Service { get; set; } = string.Empty;

    /// <summary>
    /// Runs a canary operation for the service, once the environment policy admits it, and writes the canary's status
    /// (nothing under -WhatIf). <paramref name="kind"/> is Recovery for Stop-SkCanary, which the schedule never blocks.
    /// </summary>
    protected void RunCanary(
        Func<ClusterConnection, EnvironmentConfig, ServiceConfig, Admission, OperationHost, CancellationToken, Task<CanaryStatus?>> operation, StepKind kind = StepKind.Change, string? version = null)
    {
        var environment = TargetEnvironment;
        var service = environment.Service(Service);
        var subject = new RecordSubject(RecordKind.Canary, version, [service.Name])
        {
            // A weight or a promotion works on the canary's version: read it first, for the record and the approval.
            FindVersion = version is null && kind == StepKind.Change
                ? async (cluster, token) => (await CanaryManager.GetAsync(cluster, environment, service, token).ConfigureAwait(false)).CanaryVersion
                : null,
        };
        if (Admit(environment, Overrides, kind) is { } admission && OnCluster(admission, environment, subject, (cluster, host, token) => operation(cluster, environment, service, admission, host, token)) is { } status)
        {
            WriteObject(status);
        }
    }
}
