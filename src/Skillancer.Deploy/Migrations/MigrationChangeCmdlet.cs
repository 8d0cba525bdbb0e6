using System.Management.Automation;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Migrations;

/// <summary>
/// A migration cmdlet that changes the database (Invoke-SkMigration, Set-SkMigrationState, Undo-SkMigration): in an
/// environment, it runs as every change does (the release's approval where required, the environment's lock and a
/// journal record, when the environment keeps state in its cluster); on a database with no environment, as it is.
/// </summary>
public abstract class MigrationChangeCmdlet : MigrationCmdlet, IChangesEnvironment
{
    /// <summary>
    /// <para type="description">The release these migrations belong to (1.2.3 or v1.2.3). In an environment that requires
    /// approval the change needs that release's approval (Approve-SkDeployment); the journal records it. Binds from the
    /// pipeline by property name.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>Runs an admitted change of the database: journaled in the environment named by -Environment, else as it is.</summary>
    protected T OnDatabase<T>(Admission admission, Func<OperationHost, CancellationToken, Task<T>> operation) =>
        TargetEnvironment is { } environment
            ? OnEnvironment(admission, environment, new RecordSubject(RecordKind.Database, ReleaseTag(Version), []), operation)
            : Await(operation);
}
