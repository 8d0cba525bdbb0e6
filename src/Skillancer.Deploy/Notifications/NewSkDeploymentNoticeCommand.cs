using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Notifications;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Notifications;

/// <summary>
/// <para type="synopsis">Fills in the runbook's deployment messages: Rollback, Complete, Started or Emergency.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "SkDeploymentNotice")]
[OutputType(typeof(Notice))]
public sealed class NewSkDeploymentNoticeCommand : ConfiguredCmdlet
{
    private readonly NoticeInputs _inputs = new();

    /// <summary>
    /// <para type="description">Rollback, Complete, Started or Emergency.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateSet("Rollback", "Complete", "Started", "Emergency")]
    public string Kind { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Rollback: the service rolled back. Binds by property name.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Service { get; set; }

    /// <summary>
    /// <para type="description">Rollback: the version rolled back from. Binds by property name.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? FromVersion { get; set; }

    /// <summary>
    /// <para type="description">Rollback: the version rolled back to. Binds by property name.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ToVersion { get; set; }

    /// <summary>
    /// <para type="description">Rollback and Emergency: why, in a few words.</para>
    /// </summary>
    [Parameter]
    public string? Reason { get; set; }

    /// <summary>
    /// <para type="description">Complete, Started and Emergency: the version. Binds by property name.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Version { get; set; }

    /// <summary>
    /// <para type="description">Started and Emergency: the environment. Complete uses it to count the services.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    public string? Environment { get; set; }

    /// <summary>
    /// <para type="description">The services deployed; default "All services updated".</para>
    /// </summary>
    [Parameter]
    public string[]? Services { get; set; }

    /// <summary>
    /// <para type="description">Complete: key changes, besides those of changelog sections piped in. When neither is
    /// given, the key changes are read from the version's section of CHANGELOG.md; a missing section is said in the
    /// notice and in a warning.</para>
    /// </summary>
    [Parameter]
    public string[]? KeyChanges { get; set; }

    /// <summary>
    /// <para type="description">Complete: a folder in the repository whose CHANGELOG.md holds the key changes. Defaults
    /// to the current location.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// <para type="description">Complete: the changelog file, as Update-SkChangelog takes it (a relative path is
    /// relative to the repository's top level). Defaults to CHANGELOG.md there.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ChangelogPath { get; set; }

    /// <summary>
    /// <para type="description">The time the message states; default now.</para>
    /// </summary>
    [Parameter]
    public DateTimeOffset? Time { get; set; }

    /// <summary>
    /// <para type="description">Health results, changelog sections or rollout and rollback results, from the
    /// pipeline.</para>
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        if (Kind == "Rollback")
        {
            // A rollback notice is about one piped rollback (or the parameters): one notice per input.
            Build(Request(NoticeKind.Rollback) with { Service = Service, FromVersion = FromVersion, ToVersion = ToVersion, Environment = Environment });
            return;
        }

        var input = InputObject;
        _inputs.Add(Version, Environment, input?.BaseObject.GetType().Name, input is null ? null : name => input.Properties[name]?.Value);
    }

    /// <inheritdoc/>
    protected override void AfterInput()
    {
        if (Kind == "Rollback")
        {
            return;
        }

        var environment = _inputs.Environment is null ? null : Config.Environment(_inputs.Environment);
        Build(_inputs.Apply(Request(Enum.Parse<NoticeKind>(Kind)), environment?.Name, environment?.Services.Count ?? 0, Services, KeyChanges));
    }

    private void Build(NoticeRequest request) => WriteObject(Await((host, token) => NoticeBuilder.BuildAsync(request, host, token)));

    private NoticeRequest Request(NoticeKind kind) => new(kind)
    {
        Reason = Reason,
        Time = Time ?? DateTimeOffset.UtcNow,
        Folder = GetUnresolvedProviderPathFromPSPath(Path ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath),
        ChangelogPath = ChangelogPath,
    };
}
