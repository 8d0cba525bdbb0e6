using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.FeatureFlags;
using Skillancer.Deploy.Engine.State.Journal;

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
    /// <para type="description">The release this change belongs to (1.2.3 or v1.2.3). In an environment that requires
    /// approval, turning a flag on or changing its percentage needs that release's approval (Approve-SkDeployment);
    /// the kill switch (-Enabled:$false) needs none. The journal records it. Binds from the pipeline by property name.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>
    /// <para type="description">Accept any TLS certificate from the API. Use it only for a host you trust.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>
    /// <para type="description">A flag from Get-SkFeatureFlag, usually piped. Its Environment and Name bind -Environment
    /// and -Name; a flag read from another environment, or with another name than -Name, is refused with
    /// TargetMismatch before anything is sent.</para>
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public FeatureFlag? InputObject { get; set; }

    /// <inheritdoc/>
    protected override PolicySwitches NewSwitches() => new LockingPolicySwitches();

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var change = ParameterSetName == EnabledSet
            ? new FeatureFlagChange(Name, Enabled.IsPresent, null)
            : new FeatureFlagChange(Name, null, RolloutPercentage);
        var tag = ReleaseTag(Version);
        var request = new FeatureFlagSetRequest(Config.Environment(Environment), change, SkipCertificateCheck) { From = InputObject }.Validate();
        if (Admit(request.Environment, Overrides, request.Kind) is not { } admission)
        {
            return;
        }

        var subject = new RecordSubject(RecordKind.Flag, tag, []);
        if (OnEnvironment(admission, request.Environment, subject, (host, token) => FeatureFlagSetter.SetAsync(request, admission, host, token)) is { } flag)
        {
            WriteObject(flag);
        }
    }
}
