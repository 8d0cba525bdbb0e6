using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Orchestration;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Kubernetes;

/// <summary>
/// <para type="synopsis">Rolls a version out to an environment's services, tier by tier in the runbook's order, waiting for each tier.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "SkRollout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = VersionSet)]
[OutputType(typeof(RolloutResult), typeof(RollbackResult))]
public sealed class StartSkRolloutCommand : KubernetesCmdlet, IChangesEnvironment
{
    private const string VersionSet = "Version";
    private const string ImageTagSet = "ImageTag";

    /// <summary>
    /// <para type="description">The version to roll out, a full SemVer 2.0 version: 1.2.3 or v1.2.3 (pre-releases such
    /// as 1.2.3-rc.1 too) becomes the tag v1.2.3. Anything else (1.2, v1.2.3.4, 01.2.3, latest) is refused with
    /// InvalidVersion, which names the nearest valid version. Binds from the pipeline by property name.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = VersionSet)]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>
    /// <para type="description">An image tag that is not a version (latest, sha-1a2b3c), used exactly as given. Use it
    /// instead of -Version.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ImageTagSet)]
    [ValidateNotNullOrEmpty]
    public string? ImageTag { get; set; }

    /// <summary>
    /// <para type="description">The services to roll out. Defaults to every service of the environment; the order is
    /// always the runbook's.</para>
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    /// <summary>
    /// <para type="description">Start every tier at once and return without waiting; the results say Started.
    /// Wait-SkRollout waits for them.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>
    /// <para type="description">How long each tier may take. Defaults to the environment's kubernetes.rolloutTimeout,
    /// else 10m. Takes 30s, 5m, 1h or 00:05:00. Zero, negative or under 1s is refused with InvalidTimeout before
    /// anything changes.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// <para type="description">When a tier fails or times out, put every service this call changed back on exactly the
    /// image it ran before (its FromImage), in reverse tier order, and wait for that. The rollout and rollback results
    /// are written before the error, so a script under $ErrorActionPreference = 'Stop' sees both. Cannot be used with
    /// -NoWait.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter UndoOnFailure { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var tag = ImageTags.Choose(Version, ImageTag);
        var request = new RolloutRequest(environment, SelectServices(Service), tag, !NoWait, Timeout ?? environment.Kubernetes.RolloutTimeout) { UndoOnFailure = UndoOnFailure }.Validate();
        if (Admit(environment, Overrides) is { } admission)
        {
            WriteOutcome(OnCluster(admission, environment, new RecordSubject(RecordKind.Rollout, tag, [.. request.Services.Select(s => s.Name)]), (cluster, host, token) => RolloutWithUndo.StartAsync(cluster, request, admission, host, token)));
        }
    }
}
