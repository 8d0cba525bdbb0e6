using System.Management.Automation;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Frontend;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Hosting;
using Skillancer.Deploy.Kubernetes;

namespace Skillancer.Deploy.Frontend;

/// <summary>
/// <para type="synopsis">Deploys the frontend (the runbook's "Deploy Frontend Applications"): to Vercel with the vercel CLI, or to the cluster as the frontend tier's rollout.</para>
/// </summary>
[Cmdlet(VerbsData.Publish, "SkFrontend", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = VersionSet)]
[OutputType(typeof(VercelDeployment), typeof(RolloutResult))]
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
    /// the tag v1.2.3); anything else is InvalidVersion, naming the nearest valid version. Binds by property name.
    /// Without it or -ImageTag: VersionRequired.</para>
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

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        if (Admit(environment, Overrides) is not { } admission)
        {
            return;
        }

        if (Target == "Kubernetes")
        {
            RollOut(environment, admission);
            return;
        }

        var path = GetUnresolvedProviderPathFromPSPath(Path ?? ".");
        if (!Directory.Exists(path))
        {
            throw new DeployException(FrontendErrors.FrontendPathNotFound, DeployErrorCategory.ObjectNotFound, $"There is no folder '{path}' to deploy. Pass the frontend's project folder with -Path.", path);
        }

        var token = SecretSource.FromEnvironment(VercelCli.TokenVariable, "the vercel CLI's token");
        var program = VercelPath is null ? "vercel" : GetUnresolvedProviderPathFromPSPath(VercelPath);
        var timeout = VercelCli.CheckTimeout(Timeout ?? TimeSpan.FromMinutes(15));
        if (Approve($"{path} ({environment.Name})", Preview ? "vercel deploy (preview)" : "vercel deploy --prod") != Approval.Approved)
        {
            return;
        }

        WriteObject(Await((host, cancel) => VercelCli.DeployAsync(program, environment, path, !Preview, token, timeout, host, cancel)));
    }

    // Start-SkRollout for the frontend tier only.
    private void RollOut(EnvironmentConfig environment, Admission admission)
    {
        var tag = ImageTags.Choose(Version, ImageTag);
        var services = environment.Services.Where(s => s.Tier == ServiceTier.Frontend).ToList();
        if (services.Count == 0)
        {
            throw new DeployException(FrontendErrors.NoFrontendServices, DeployErrorCategory.InvalidArgument,
                $"Environment '{environment.Name}' has no service with tier: frontend in {environment.ConfigPath}.", environment.Name);
        }

        StartRollout(new RolloutRequest(environment, services, tag, true, Timeout ?? environment.Kubernetes.RolloutTimeout).Validate(), admission);
    }
}
