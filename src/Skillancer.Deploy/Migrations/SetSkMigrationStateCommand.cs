using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Migrations;

namespace Skillancer.Deploy.Migrations;

/// <summary>
/// <para type="synopsis">Marks a migration rolled back or applied without running it, as `prisma migrate resolve` does.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "SkMigrationState", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = RolledBackSet)]
[OutputType(typeof(MigrationStatus))]
public sealed class SetSkMigrationStateCommand : OneMigrationCmdlet
{
    private const string RolledBackSet = "RolledBack";
    private const string AppliedSet = "Applied";

    /// <summary>
    /// <para type="description">Mark a failed migration rolled back (prisma migrate resolve --rolled-back).</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = RolledBackSet)]
    public SwitchParameter RolledBack { get; set; }

    /// <summary>
    /// <para type="description">Record the migration as applied without running it (prisma migrate resolve
    /// --applied).</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = AppliedSet)]
    public SwitchParameter Applied { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var source = ResolveSource(Path);
        if (Admit() is not { } admission)
        {
            return;
        }

        var resolution = ParameterSetName == AppliedSet ? MigrationResolution.Applied : MigrationResolution.RolledBack;
        var status = OnDatabase(admission, (host, token) => MigrationResolver.ResolveAsync(source, Name, resolution, admission, host, token));
        if (status is not null)
        {
            WriteObject(status);
        }
    }
}
