using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Rolls a service back, as `kubectl rollout undo` does: to the previous revision, or the one asked for.</para>
/// </summary>
[Cmdlet(VerbsCommon.Undo, "SkDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RollbackResult))]
public sealed class UndoSkDeploymentCommand : KubernetesCmdlet, IChangesEnvironment
{
    /// <summary>
    /// <para type="description">The services to roll back. Binds from the pipeline by property name.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Service { get; set; } = [];

    /// <summary>
    /// <para type="description">The revision to go back to. Defaults to the previous one.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long ToRevision { get; set; }

    /// <summary>
    /// <para type="description">Go back to the newest earlier revision that ran this image. A rollout result passes its
    /// FromImage here from the pipeline.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? FromImage { get; set; }

    /// <summary>
    /// <para type="description">Return once the rollback is sent, without waiting for it.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>
    /// <para type="description">How long to wait. Defaults to the environment's kubernetes.rolloutTimeout, else
    /// 10m. Zero, negative or under 1s is refused with InvalidTimeout before anything changes.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var timeout = Timeout ?? environment.Kubernetes.RolloutTimeout;
        var requests = SelectServices(Service).Select(s => new RollbackRequest(environment, s, ToRevision, !NoWait, timeout) { ToImage = FromImage }.Validate()).ToList();
        if (Admit(environment, Overrides, StepKind.Recovery) is not { } admission)
        {
            return;
        }

        foreach (var request in requests)
        {
            if (OnCluster(admission, environment, new RecordSubject(RecordKind.Rollback, request.ToImage is { } image ? ImageTags.Tag(image) : null, [request.Service.Name]), (cluster, host, token) => DeploymentRollback.UndoAsync(cluster, request, admission, host, token)) is { } result)
            {
                WriteChanges([result]);
            }
        }
    }
}
