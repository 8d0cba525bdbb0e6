using System.Collections;
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
    private readonly List<(string Service, bool Healthy)> _health = [];
    private readonly List<string> _changes = [];
    private readonly List<string> _services = [];
    private string? _version;
    private string? _environment;

    /// <summary>
    /// <para type="description">Which message: Rollback, Complete, Started or Emergency.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet("Rollback", "Complete", "Started", "Emergency")]
    public string Kind { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Rollback: the service rolled back. Rollback results bind to it from the pipeline.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Service { get; set; }

    /// <summary>
    /// <para type="description">Rollback: the version rolled back from. Rollback results bind to it.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? FromVersion { get; set; }

    /// <summary>
    /// <para type="description">Rollback: the version rolled back to. Rollback results bind to it.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ToVersion { get; set; }

    /// <summary>
    /// <para type="description">Rollback and Emergency: why, in a few words.</para>
    /// </summary>
    [Parameter]
    public string? Reason { get; set; }

    /// <summary>
    /// <para type="description">Complete, Started and Emergency: the version deployed. Release and rollout results bind to it.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Version { get; set; }

    /// <summary>
    /// <para type="description">Started and Emergency: the environment; Complete uses it to say "All services updated" when every service was.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    public string? Environment { get; set; }

    /// <summary>
    /// <para type="description">The services deployed. Defaults to "All services updated".</para>
    /// </summary>
    [Parameter]
    public string[]? Services { get; set; }

    /// <summary>
    /// <para type="description">Complete: the key changes. Update-SkChangelog's output piped in adds its Added, Fixed and Changed entries.</para>
    /// </summary>
    [Parameter]
    public string[]? KeyChanges { get; set; }

    /// <summary>
    /// <para type="description">The time the message states. Defaults to now.</para>
    /// </summary>
    [Parameter]
    public DateTimeOffset? Time { get; set; }

    /// <summary>
    /// <para type="description">Objects from the pipeline: Test-SkHealth results give Complete its status, Update-SkChangelog sections its key changes, rollback results one Rollback notice each.</para>
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        if (Kind == "Rollback")
        {
            WriteObject(NoticeTemplates.Rollback(Required(Service, "Service"), Required(FromVersion, "FromVersion"), Required(ToVersion, "ToVersion"),
                Required(Reason, "Reason"), Time ?? DateTimeOffset.UtcNow));
            return;
        }

        _version ??= Version;
        _environment ??= Environment;
        if (InputObject is { } input && input.Properties["Healthy"]?.Value is bool healthy)
        {
            _health.Add((input.Properties["Service"]?.Value?.ToString() ?? "?", healthy));
        }

        foreach (var list in new[] { "Added", "Fixed", "Changed", "Breaking" })
        {
            if (InputObject?.Properties[list]?.Value is IEnumerable entries and not string)
            {
                _changes.AddRange(entries.Cast<object>().Select(e => e.ToString()!));
            }
        }

        if (InputObject?.Properties["Service"]?.Value is string service && InputObject.Properties["Healthy"] is null)
        {
            _services.Add(service);
        }
    }

    /// <inheritdoc/>
    protected override void AfterInput()
    {
        if (Kind == "Rollback")
        {
            return;
        }

        var time = Time ?? DateTimeOffset.UtcNow;
        var version = Required(_version, "Version");
        var environment = _environment is null ? null : Config.Environment(_environment);
        var updated = Services?.ToList() ?? _services.Distinct().ToList();
        var services = NoticeTemplates.Services(updated, environment?.Services.Count ?? updated.Count);
        WriteObject(Kind switch
        {
            "Complete" => NoticeTemplates.Complete(version, time, services, NoticeTemplates.HealthStatus(_health), (KeyChanges ?? []).Concat(_changes).Distinct().ToList()),
            "Started" => NoticeTemplates.Started(version, Required(_environment, "Environment"), services, time),
            _ => NoticeTemplates.Emergency(version, Required(_environment, "Environment"), Required(Reason, "Reason"), time),
        });
    }

    private string Required(string? value, string parameter) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new DeployException("NoticeFieldMissing", DeployErrorCategory.InvalidArgument,
                $"A {Kind} notice needs -{parameter}. Pass it, or pipe in objects that have a {parameter} property.", parameter)
            : value;
}
