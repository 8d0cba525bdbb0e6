using System.Management.Automation;
using Skillancer.Deploy.Engine.Release;

namespace Skillancer.Deploy.Release;

/// <summary>
/// <para type="synopsis">Lists the release branches of a repository, local and remote, newest version first.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SkRelease")]
[OutputType(typeof(ReleaseBranch))]
public sealed class GetSkReleaseCommand : DeployCmdlet
{
    /// <summary>
    /// <para type="description">A folder inside the repository. Defaults to the current location. Binds from a
    /// release's Repository.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Repository")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// <para type="description">The remote whose branches are listed, as last fetched. Default origin.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Remote { get; set; } = "origin";

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath);
        WriteObjects(Await((host, token) => ReleaseBranches.ListAsync(path, Remote, host, token)));
    }
}
