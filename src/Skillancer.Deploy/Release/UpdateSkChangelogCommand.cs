using System.Management.Automation;
using Skillancer.Deploy.Engine.Release.Changelog;

namespace Skillancer.Deploy.Release;

/// <summary>
/// <para type="synopsis">Writes the release's CHANGELOG.md section from the conventional commits since the previous release, and commits and pushes it on request.</para>
/// </summary>
[Cmdlet(VerbsData.Update, "SkChangelog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ChangelogSection))]
public sealed class UpdateSkChangelogCommand : DeployCmdlet
{
    /// <summary>
    /// <para type="description">A folder inside the repository. Defaults to the current location. Binds from a
    /// release's Repository.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Repository")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// <para type="description">The release's version. Defaults to the version in the repository's package.json. Binds
    /// from a release's Version.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>
    /// <para type="description">The branch, tag or commit to count commits from. Defaults to the newest release branch
    /// with a lower version (local, else remote-tracking); without one, the whole history.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Since { get; set; }

    /// <summary>
    /// <para type="description">The changelog file. Default CHANGELOG.md at the repository's top level; a relative path
    /// is relative to it.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ChangelogPath { get; set; }

    /// <summary>
    /// <para type="description">The release date written in the heading. Defaults to today (UTC).</para>
    /// </summary>
    [Parameter]
    public DateTime? Date { get; set; }

    /// <summary>
    /// <para type="description">The remote whose release branches count as previous releases, and where -Push pushes.
    /// Defaults to origin.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Remote { get; set; } = "origin";

    /// <summary>
    /// <para type="description">Replace a different section that already exists for the version.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// <para type="description">Commit the changelog, and nothing else, as "docs(changelog): vX.Y.Z". Other staged
    /// changes are refused with OtherChangesStaged before anything is written. A rerun with nothing new commits
    /// nothing.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Commit { get; set; }

    /// <summary>
    /// <para type="description">After the commit, push the current branch to -Remote and set its upstream (implies
    /// -Commit). Nothing is pushed when the remote's branch already holds the commit.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Push { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var request = new ChangelogRequest(
            GetUnresolvedProviderPathFromPSPath(Path ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath),
            Version, Since, ChangelogPath, Date is null ? null : DateOnly.FromDateTime(Date.Value), Remote, Force, Commit || Push, Push);
        var section = Await((host, token) => ChangelogUpdater.UpdateAsync(request, host, token));
        if (section is not null)
        {
            WriteObject(section);
        }
    }
}
