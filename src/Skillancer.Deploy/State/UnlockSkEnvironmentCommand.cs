using System.Management.Automation;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.State.Lock;
using Skillancer.Deploy.Kubernetes;

namespace Skillancer.Deploy.State;

/// <summary>
/// <para type="synopsis">Breaks an environment's lock, whoever holds it: for a holder that is gone for good. Journaled.</para>
/// </summary>
[Cmdlet(VerbsCommon.Unlock, "SkEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(UnlockResult))]
public sealed class UnlockSkEnvironmentCommand : KubernetesCmdlet, IChangesEnvironment
{
    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var environment = TargetEnvironment;
        if (Admit(environment, Overrides, StepKind.Recovery) is not { } admission)
        {
            return;
        }

        var request = new ChangeRequest(environment, admission, new RecordSubject(RecordKind.Unlock, null, []));
        if (OnCluster(environment, (cluster, host, token) => LockBreaker.BreakAsync(cluster, request, Force, host, token)) is { } result)
        {
            WriteObject(result);
        }
    }

    /// <inheritdoc/>
    protected override PolicySwitches NewSwitches() => new();
}
