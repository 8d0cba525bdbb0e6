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
        var environment = Config.Environment(Environment);
        var exact = Name?.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToList() ?? [];
        var patterns = Name?.Where(WildcardPattern.ContainsWildcardCharacters).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList() ?? [];
        var flags = Await(async (host, token) =>
        {
            using var api = FeatureFlagApi.Open(environment, SkipCertificateCheck, host);
            if (Name is not null && patterns.Count == 0)
            {
                var one = new List<FeatureFlag>();
                foreach (var name in exact)
                {
                    one.Add(await api.GetAsync(name, token).ConfigureAwait(false));
                }

                return (IReadOnlyList<FeatureFlag>)one;
            }

            var all = await api.ListAsync(token).ConfigureAwait(false);
            return Name is null ? all : all.Where(f => exact.Contains(f.Name, StringComparer.OrdinalIgnoreCase) || patterns.Any(p => p.IsMatch(f.Name))).ToList();
        });
        WriteObjects(flags);
    }
}
