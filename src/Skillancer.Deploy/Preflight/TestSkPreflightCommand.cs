using System.Management.Automation;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Preflight;
using Skillancer.Deploy.Hosting;
using Skillancer.Deploy.Kubernetes;

namespace Skillancer.Deploy.Preflight;

/// <summary>
/// <para type="synopsis">Checks the runbook's pre-deployment checklist against the systems that know the answer.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SkPreflight", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(PreflightResult), typeof(bool))]
public sealed class TestSkPreflightCommand : KubernetesCmdlet
{

    /// <summary>
    /// <para type="description">The version about to be deployed: 1.2.3 or v1.2.3. Binds from the pipeline by property
    /// name, so a release can be piped in.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Version { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Only these items: CiPassing, MigrationsTested, FeatureFlags, Alerts, RollbackPlan,
    /// StakeholdersNotified, DeploymentWindow, OnCall, Images, ClusterAccess, StartingPoint. Default: all.</para>
    /// </summary>
    [Parameter]
    [ValidateSet("CiPassing", "MigrationsTested", "FeatureFlags", "Alerts", "RollbackPlan", "StakeholdersNotified", "DeploymentWindow", "OnCall", "Images", "ClusterAccess", "StartingPoint")]
    public string[]? Item { get; set; }

    /// <summary>
    /// <para type="description">Items no system answers, which you checked yourself: OnCall, and those preflight.attest
    /// lists. Needs -Reason; the journal records it with your identity. An item a system answers cannot be attested
    /// (PreflightNotAttestable).</para>
    /// </summary>
    [Parameter]
    [ValidateSet("CiPassing", "MigrationsTested", "FeatureFlags", "Alerts", "RollbackPlan", "StakeholdersNotified", "DeploymentWindow", "OnCall", "Images", "ClusterAccess", "StartingPoint")]
    public string[]? Attest { get; set; }

    /// <summary>
    /// <para type="description">Why the attested items hold (who is on call, what you checked), or why the emergency cannot
    /// wait. Required with -Attest and -Emergency (PreflightReasonRequired).</para>
    /// </summary>
    [Parameter]
    public string? Reason { get; set; }

    /// <summary>
    /// <para type="description">Check the deployment window as an emergency: allowed, with the runbook's emergency duties
    /// (a Warning item). Needs -Reason.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Emergency { get; set; }

    /// <summary>
    /// <para type="description">Send the runbook's "Deployment Started" notice now (to notifications.webhookUrlEnv), which
    /// passes "stakeholders notified" and is journaled. -WhatIf sends nothing.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Notify { get; set; }

    /// <summary>
    /// <para type="description">A YAML file of the flags expected, instead of featureFlags.expected: one flag per key,
    /// such as new_dashboard: { enabled: false } and proposal_drafts: { rolloutPercentage: 50 }.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FlagsFile { get; set; }

    /// <summary>
    /// <para type="description">The commit whose CI checks count (7 to 40 hexadecimal digits). Default: the head of the
    /// version's release branch (release/v1.2.3) on GitHub.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Commit { get; set; }

    /// <summary>
    /// <para type="description">How long to wait for CI checks that are still running, such as 10m. The checks are asked
    /// again, every second at first and at most every 15 seconds. Default: a running check fails CiPassing at once.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? WaitForCi { get; set; }

    /// <summary>
    /// <para type="description">The longest the checklist waits when a system of record asks it to: GitHub's rate limit,
    /// until its reset. A reset later than this fails CiPassing, saying when to try again. Default: 5m.</para>
    /// </summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// <para type="description">Return only $true when no item Failed, $false otherwise; no results, no error.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        var request = new PreflightRequest(Config, environment, Version, SessionState.Path.CurrentFileSystemLocation.ProviderPath)
        {
            Items = Item?.Select(Enum.Parse<PreflightItem>).ToList(),
            Attest = Attest?.Select(Enum.Parse<PreflightItem>).ToList() ?? [],
            Reason = Reason,
            Emergency = Emergency,
            Notify = Notify,
            Commit = Commit,
            WaitForCi = WaitForCi,
            Timeout = Timeout ?? PreflightRequest.DefaultTimeout,
            ExpectedFlags = FlagsFile is null ? null : ConfigLoader.LoadExpectedFlags(GetUnresolvedProviderPathFromPSPath(FlagsFile)),
        };
        // -Quiet, -WhatIf and a host without a UI ask nothing: an item left to a person then fails, saying how to attest it.
        request = Quiet || DescribeOnly || Host.UI is null ? request : new AttestationPrompts(Host.UI, WriteDebug).Ask(request);
        request.Validate();
        var gate = OnCluster(environment, (cluster, host, token) => PreflightChecklist.RunAsync(cluster, request, host, token));
        WriteGate(gate, Quiet);
    }
}
