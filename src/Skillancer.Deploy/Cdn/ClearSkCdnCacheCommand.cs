using System.Management.Automation;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Cdn;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Cdn;

/// <summary>
/// <para type="synopsis">Clears an environment's CloudFront cache (the runbook's create-invalidation), and can wait until it is done.</para>
/// </summary>
[Cmdlet(VerbsCommon.Clear, "SkCdnCache", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(InvalidationResult))]
public sealed class ClearSkCdnCacheCommand : ConfiguredCmdlet, IChangesEnvironment
{
    /// <summary>
    /// <para type="description">The environment whose distribution is invalidated. Tab completes from the
    /// configuration.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The paths: each starts with '/' and may end with one '*'; others fail with InvalidCdnPath.
    /// Defaults to /*.</para>
    /// </summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = ["/*"];

    /// <summary>
    /// <para type="description">The version deployed. Binds by property name. With the environment and the paths it names
    /// the clear: a rerun of the same clear less than cdn.dedupeWindow (15m unless set) after its invalidation was created
    /// returns that invalidation and creates none; a later rerun creates a new one. Without -Version, clears of the same
    /// paths are the same clear whatever was deployed. In an environment that requires approval, it names the release whose
    /// approval (Approve-SkDeployment) the clear needs; the journal records it.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>
    /// <para type="description">Wait until the invalidation is Completed.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>
    /// <para type="description">How long -Wait waits, such as 30s, 5m or 00:05:00. Defaults to 15m. With
    /// -Wait, zero, negative or under one poll (1s) is refused with InvalidTimeout before the invalidation is
    /// created.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// <para type="description">The AWS profile whose credentials sign the requests (in cdn.credentialsFile, else the AWS
    /// shared files). Defaults to cdn.profile, else the AWS SDK's credential chain.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    /// <inheritdoc/>
    protected override PolicySwitches NewSwitches() => new LockingPolicySwitches();

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = Config.Environment(Environment);
        var request = new CacheClearRequest(environment, Path)
        {
            Version = Version,
            Profile = ProfileName,
            Wait = Wait,
        };
        if (Timeout is { } timeout)
        {
            request = request with { Timeout = timeout };
        }

        request.Validate();
        if (Admit(environment, Overrides) is not { } admission)
        {
            return;
        }

        var subject = new RecordSubject(RecordKind.Cdn, Version, []);
        var result = OnEnvironment(admission, environment, subject, (host, token) => CdnCacheClearer.ClearAsync(request, admission, host, token));
        if (result is not null)
        {
            WriteObject(result);
        }
    }
}
