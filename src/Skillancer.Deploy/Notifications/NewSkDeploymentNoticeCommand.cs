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
    /// <para type="description">Complete: key changes, besides those of changelog sections piped in.</para>
    /// </summary>
    [Parameter]
    public string[]? KeyChanges { get; set; }

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
