using System.Management.Automation;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Frontend;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.Orchestration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Hosting;
using Skillancer.Deploy.Kubernetes;

namespace Skillancer.Deploy.Frontend;

/// <summary>
/// <para type="synopsis">Deploys the frontend (the runbook's "Deploy Frontend Applications"): to Vercel with the vercel CLI, or to the cluster as the frontend tier's rollout.</para>
/// </summary>
[Cmdlet(VerbsData.Publish, "SkFrontend", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = VersionSet)]
[OutputType(typeof(VercelDeployment), typeof(RolloutResult), typeof(RollbackResult))]
public sealed class PublishSkFrontendCommand : KubernetesCmdlet, IChangesEnvironment
{
    private const string VersionSet = "Version";
    private const string ImageTagSet = "ImageTag";

    /// <summary>
    /// <para type="description">Vercel or Kubernetes.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateSet("Vercel", "Kubernetes")]
    public string Target { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Kubernetes: the version to roll out, a full SemVer 2.0 version (1.2.3 or v1.2.3 becomes
    /// the tag v1.2.3); anything else is InvalidVersion, naming the nearest valid version. Without it or -ImageTag:
    /// VersionRequired. Vercel: the release the deploy belongs to, whose approval (Approve-SkDeployment) it needs in an
    /// environment that requires approval; the journal records it. Binds by property name.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = VersionSet)]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>
    /// <para type="description">Kubernetes: an image tag that is not a version (latest, sha-1a2b3c), used exactly as
    /// given. Use it instead of -Version.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ImageTagSet)]
    [ValidateNotNullOrEmpty]
    public string? ImageTag { get; set; }

    /// <summary>
    /// <para type="description">Vercel: the project folder; default the current folder. A missing folder:
    /// FrontendPathNotFound.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// <para type="description">Vercel: a preview deployment (no --prod).</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Preview { get; set; }

    /// <summary>
    /// <para type="description">Vercel: the vercel program to run; default vercel on PATH.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VercelPath { get; set; }

    /// <summary>
    /// <para type="description">How long the deploy may take: 15m for Vercel, kubernetes.rolloutTimeout for
    /// Kubernetes. Zero, negative or under 1s is refused with InvalidTimeout before anything changes.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// <para type="description">Kubernetes: when the rollout fails, put the frontend services back on exactly the images
    /// they ran before, and wait for them (as Start-SkRollout -UndoOnFailure). The rollout and rollback results are
    /// written before the error.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter UndoOnFailure { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var request = (Target == "Kubernetes" ? ToCluster(environment) : ToVercel(environment)).Validate();
        if (Admit(environment, Overrides) is not { } admission)
        {
            return;
        }

        // The cluster target changes the cluster; a Vercel deploy is journaled there when the environment keeps state in it.
        var outcome = request.Target == FrontendTarget.Kubernetes
            ? OnCluster(admission, environment, new RecordSubject(RecordKind.Frontend, request.Rollout!.Tag, [.. request.Rollout.Services.Select(s => s.Name)]), (cluster, host, token) => FrontendPublish.PublishAsync(request, admission, cluster, host, token))
            : OnEnvironment(admission, environment, new RecordSubject(RecordKind.Frontend, ReleaseTag(Version), []), (host, token) => FrontendPublish.PublishAsync(request, admission, null, host, token));
        if (outcome.Vercel is not null)
        {
            WriteObject(outcome.Vercel);
        }

        if (outcome.Rollout is { } rollout)
        {
            WriteOutcome(rollout);
        }
    }

    private FrontendPublishRequest ToCluster(EnvironmentConfig environment)
    {
        if (Path is not null || Preview || VercelPath is not null)
        {
            throw new DeployException(FrontendErrors.InvalidParameterCombination, DeployErrorCategory.InvalidArgument,
                "-Path, -Preview and -VercelPath are for -Target Vercel; leave them out with -Target Kubernetes.", Target);
        }

        return FrontendPublishRequest.ToCluster(environment, ImageTags.Choose(Version, ImageTag), Timeout, UndoOnFailure);
    }

    private FrontendPublishRequest ToVercel(EnvironmentConfig environment)
    {
        if (ImageTag is not null || UndoOnFailure)
        {
            throw new DeployException(FrontendErrors.InvalidParameterCombination, DeployErrorCategory.InvalidArgument,
                "-ImageTag and -UndoOnFailure are for -Target Kubernetes; Vercel deploys the folder given by -Path (-Version only names the release it belongs to).", Target);
        }

        var path = GetUnresolvedProviderPathFromPSPath(Path ?? ".");
        var program = VercelPath is null ? "vercel" : GetUnresolvedProviderPathFromPSPath(VercelPath);
        var token = SecretSource.FromEnvironment(VercelCli.TokenVariable, "the vercel CLI's token");
        return FrontendPublishRequest.ToVercel(new VercelDeployRequest(environment, path, !Preview, program, token, Timeout ?? TimeSpan.FromMinutes(15)));
    }
}
