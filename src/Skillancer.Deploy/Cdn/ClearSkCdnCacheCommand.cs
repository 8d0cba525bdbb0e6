using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Cdn;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Hosting;

namespace Skillancer.Deploy.Cdn;

/// <summary>
/// <para type="synopsis">Clears an environment's CloudFront cache (the runbook's create-invalidation), and can wait until it is done.</para>
/// </summary>
[Cmdlet(VerbsCommon.Clear, "SkCdnCache", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(InvalidationResult))]
public sealed class ClearSkCdnCacheCommand : ConfiguredCmdlet
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
    /// <para type="description">The paths: each starts with '/' and may end with one '*'. Default /*. Others fail with
    /// InvalidCdnPath.</para>
    /// </summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = ["/*"];

    /// <summary>
    /// <para type="description">The version deployed, for the CallerReference. Binds by property name; without it the
    /// current UTC minute stands in.</para>
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
    /// <para type="description">How long -Wait waits: 15m by default; 30s, 5m or 00:05:00.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// <para type="description">An AWS profile instead of cdn.profile or the default chain.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = Config.Environment(Environment);
        ConfirmFor(environment);
        var paths = Path.Distinct(StringComparer.Ordinal).ToList();
        CloudFrontInvalidations.Validate(paths);
        var reference = CloudFrontInvalidations.CallerReference(environment.Name,
            Version ?? DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmm", System.Globalization.CultureInfo.InvariantCulture), paths);
        var result = Await(async (host, token) =>
        {
            using var cloudFront = CloudFrontInvalidations.Open(environment, ProfileName, host);
            if (host.ShouldProcess(cloudFront.Target, $"Invalidate {string.Join(", ", paths)}") != Approval.Approved)
            {
                return null;
            }

            var created = await cloudFront.CreateAsync(paths, reference, token).ConfigureAwait(false);
            return Wait ? await cloudFront.WaitAsync(created, Timeout ?? TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(1), token).ConfigureAwait(false) : created;
        });
        if (result is not null)
        {
            WriteObject(result);
        }
    }
}
