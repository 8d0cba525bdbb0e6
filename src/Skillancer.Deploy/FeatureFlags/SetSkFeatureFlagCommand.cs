using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.FeatureFlags;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.FeatureFlags;

/// <summary>
/// <para type="synopsis">Turns a feature flag on or off (the runbook's kill switch), or sets its rollout percentage.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "SkFeatureFlag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = EnabledSet)]
[OutputType(typeof(FeatureFlag))]
public sealed class SetSkFeatureFlagCommand : ConfiguredCmdlet, IChangesEnvironment
{
    private const string EnabledSet = "Enabled";
    private const string PercentageSet = "RolloutPercentage";

    /// <summary>
    /// <para type="description">The environment whose feature-flag API is called. Tab completes from the
    /// configuration.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The flag. Tab completes from the API (when it answers within 2 s).</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FeatureFlagNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">-Enabled turns the flag on; -Enabled:$false turns it off (the kill switch).</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = EnabledSet)]
    public SwitchParameter Enabled { get; set; }

    /// <summary>
    /// <para type="description">The share of users who get the feature, 0 to 100.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = PercentageSet)]
    [ValidateRange(0, 100)]
    public int RolloutPercentage { get; set; }

    /// <summary>
    /// <para type="description">Accept any TLS certificate from the API. Use it only for a host you trust.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = Config.Environment(Environment);
        var change = ParameterSetName == EnabledSet
            ? new FeatureFlagChange(Name, Enabled.IsPresent, null)
            : new FeatureFlagChange(Name, null, RolloutPercentage);
        change.Validate();
        if (Admit(environment, Overrides, change.Enabled == false ? StepKind.Recovery : StepKind.Change) is null)
        {
            return;
        }

        var action = change.Enabled switch
        {
            true => "Enable for all users",
            false => "Disable (kill switch)",
            null => $"Roll out to {change.RolloutPercentage}% of users",
        };
        var flag = Await(async (host, token) =>
        {
            using var api = FeatureFlagApi.Open(environment, SkipCertificateCheck, host);
            return host.ShouldProcess(api.Target(Name), action) == Approval.Approved
                ? await api.SetAsync(change, token).ConfigureAwait(false)
                : null;
        });
        if (flag is not null)
        {
            WriteObject(flag);
        }
    }
}
