using System.Management.Automation;
using Skillancer.Deploy.Engine.Release;

namespace Skillancer.Deploy.Release;

/// <summary>
/// <para type="synopsis">Creates a release branch as the runbook's "Create Release" does: pull, branch, set the version, commit, push.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "SkRelease", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByVersion)]
[OutputType(typeof(ReleaseResult))]
public sealed class NewSkReleaseCommand : DeployCmdlet
{
    private const string ByVersion = "ByVersion";
    private const string ByBump = "ByBump";

    /// <summary>
    /// <para type="description">The version to release: 1.2.3, v1.2.3, or a SemVer 2 pre-release such as 1.3.0-rc.1.
    /// Build metadata (+build.5) is refused. Binds from the pipeline by property name.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByVersion, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Version { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Raise the current package.json version instead of naming one: Major, Minor, Patch or
    /// Prerelease, computed as `npm version major|minor|patch|prerelease` does.</para>
    /// </summary>
    // A string, not the engine's VersionBump: PowerShell loads this class's field types before the
    // module initializer can point it at the engine, and an engine enum field would fail the import.
    [Parameter(Mandatory = true, ParameterSetName = ByBump)]
    [ValidateSet("Major", "Minor", "Patch", "Prerelease")]
    public string Bump { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The pre-release identifier for -Bump Prerelease, for example rc.</para>
    /// </summary>
    [Parameter(ParameterSetName = ByBump)]
    [ValidateNotNullOrEmpty]
    public string? PreId { get; set; }

    /// <summary>
    /// <para type="description">A folder inside the repository. Defaults to the current location. The version files are
    /// those at the repository's top level.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// <para type="description">The branch releases are cut from. Default master, as in the runbook.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string BaseBranch { get; set; } = "master";

    /// <summary>
    /// <para type="description">The remote to pull from and push to. Default origin.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Remote { get; set; } = "origin";

    /// <summary>
    /// <para type="description">Stop after the commit. Push later with the git command the output describes.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter NoPush { get; set; }

    /// <summary>
    /// <para type="description">Allow a version that is not greater than the current one (a re-release or a step
    /// back).</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// <para type="description">Also set the version of every workspace package: those the workspaces field of
    /// package.json or the packages list of pnpm-workspace.yaml names ('!' patterns exclude; node_modules never
    /// counts).</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Workspaces { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var request = new ReleaseRequest(
            GetUnresolvedProviderPathFromPSPath(Path ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath),
            ParameterSetName == ByVersion ? Version : null,
            ParameterSetName == ByBump ? Enum.Parse<VersionBump>(Bump, ignoreCase: true) : null,
            PreId, BaseBranch, Remote, NoPush, Force, Workspaces);
        var release = Await((host, token) => ReleaseCreator.CreateAsync(request, host, token));
        if (release is not null)
        {
            WriteObject(release);
        }
    }
}
