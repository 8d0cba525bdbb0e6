using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Cdn;

namespace Skillancer.Deploy.Cdn;

/// <summary>
/// <para type="synopsis">Looks up an environment's CloudFront invalidations: one by id, or all of them, newest first.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SkCdnInvalidation")]
[OutputType(typeof(InvalidationResult))]
public sealed class GetSkCdnInvalidationCommand : ConfiguredCmdlet
{
    /// <summary>
    /// <para type="description">The environment whose distribution is read. Binds by property name, so an invalidation
    /// piped in is looked up where it was made. Tab completes from the configuration.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">CloudFront's id of one invalidation (GetInvalidation), with its paths. Binds by property
    /// name, so Clear-SkCdnCache's result reads again. Without it every invalidation of the distribution is listed
    /// (ListInvalidations), newest first, without paths. An unknown id fails with CdnInvalidationNotFound.</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    /// <summary>
    /// <para type="description">The distribution of an invalidation piped in; bound by property name. One that is not the
    /// environment's cdn.distributionId is refused with TargetMismatch.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    [ValidateNotNullOrEmpty]
    public string? DistributionId { get; set; }

    /// <summary>
    /// <para type="description">The AWS profile whose credentials sign the requests (in cdn.credentialsFile, else the AWS
    /// shared files). Defaults to cdn.profile, else the AWS SDK's credential chain.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var query = new InvalidationQuery(Config.Environment(Environment))
        {
            Id = Id,
            DistributionId = DistributionId,
            Profile = ProfileName,
        };
        Await((host, token) => CdnInvalidationReader.ReadAsync(query, Emit, host, token));
    }
}
