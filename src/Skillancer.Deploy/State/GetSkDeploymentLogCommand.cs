using System.Management.Automation;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Kubernetes;

namespace Skillancer.Deploy.State;

/// <summary>
/// <para type="synopsis">Lists an environment's deployment log: who changed what, when, and how it ended, newest first.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SkDeploymentLog", DefaultParameterSetName = ListSet)]
[OutputType(typeof(DeploymentRecord))]
public sealed class GetSkDeploymentLogCommand : KubernetesCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    /// <summary>
    /// <para type="description">Only records of this version (1.2.3 and v1.2.3 alike). Binds from the pipeline by
    /// property name.</para>
    /// </summary>
    [Parameter(ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>
    /// <para type="description">Only records of these kinds: Rollout, Rollback, Canary, Frontend, Unlock, Approval, Database, Flag, Cdn, Notice, Preflight, Deploy.</para>
    /// </summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("Rollout", "Rollback", "Canary", "Frontend", "Unlock", "Approval", "Database", "Flag", "Cdn", "Notice", "Preflight", "Deploy")]
    public string[]? Kind { get; set; }

    /// <summary>
    /// <para type="description">Only actions started at or after this time (local time unless it says otherwise).</para>
    /// </summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTime? Since { get; set; }

    /// <summary>
    /// <para type="description">At most this many records, the newest. 1 or more.</para>
    /// </summary>
    [Parameter(ParameterSetName = ListSet)]
    public int? Last { get; set; }

    /// <summary>
    /// <para type="description">The one record with this id (e.g. 20261203-141502-9f3a). An id with no record is
    /// DeploymentRecordNotFound.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var query = new JournalQuery
        {
            Version = Version,
            Kinds = Kind?.Select(Enum.Parse<RecordKind>).ToList(),
            Since = Since is { } since ? new DateTimeOffset(since.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(since, DateTimeKind.Local) : since) : null,
            Last = Last,
            Id = Id,
        }.Validate();
        var records = OnCluster(environment, (cluster, _, token) => DeploymentJournal.FindAsync(cluster, environment, query, token));
        if (Id is not null && records.Count == 0)
        {
            WriteError(DeploymentJournal.NotFound(environment, Id));
            return;
        }

        WriteObjects(records);
    }
}
