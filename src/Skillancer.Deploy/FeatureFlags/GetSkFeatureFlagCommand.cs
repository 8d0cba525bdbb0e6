using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.FeatureFlags;

namespace Skillancer.Deploy.FeatureFlags;

/// <summary>
/// <para type="synopsis">Reads feature flags from an environment's feature-flag API.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SkFeatureFlag")]
[OutputType(typeof(FeatureFlag))]
public sealed class GetSkFeatureFlagCommand : ConfiguredCmdlet
{
    /// <summary>
    /// <para type="description">The environment whose feature-flag API is read. Tab completes from the
    /// configuration.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The flags to read; wildcards allowed. Tab completes from the API.</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FeatureFlagNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>
    /// <para type="description">Accept any TLS certificate from the API. Use it only for a host you trust.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var query = new FeatureFlagQuery(Config.Environment(Environment), Name, SkipCertificateCheck);
        WriteObjects(Await((host, token) => FeatureFlagReader.ReadAsync(query, host, token)));
    }
}
