using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Approvals;

namespace Skillancer.Deploy.Engine.Policy;

/// <summary>
/// The environment policy's permission for one step to change one environment. Only
/// <see cref="EnvironmentPolicy"/> makes one, and every engine entry point that changes an environment
/// takes one and checks it with <see cref="Require(EnvironmentConfig?, StepKind)"/> before its first change. So a step cannot run
/// unadmitted, whoever calls it: a cmdlet, or the orchestrator that admits a whole run once.
/// </summary>
public sealed class Admission
{
    internal Admission(string? environment, string step, StepKind kind)
    {
        Environment = environment;
        Step = step;
        Kind = kind;
    }

    /// <summary>The name of the environment admitted; null for a database named only by a connection string, which has no policy.</summary>
    public string? Environment { get; }

    /// <summary>The step admitted, as the user named it (e.g. <c>Start-SkRollout</c>).</summary>
    public string Step { get; }

    /// <summary>Why the emergency could not wait, when the step was let through with -Emergency; null otherwise. The journal keeps it.</summary>
    public string? EmergencyReason { get; internal init; }

    /// <summary>A change, or a recovery action (admitted even outside the windows); a recovery admission does not cover a change.</summary>
    public StepKind Kind { get; }

    /// <summary>
    /// True for a change to an environment that requires approval: before its first change, the approvals of its version
    /// are checked in the cluster (<see cref="ApprovalGate"/>), and until then <see cref="Require(string?, StepKind)"/> refuses.
    /// </summary>
    public bool NeedsApproval { get; internal init; }

    /// <summary>The version whose approvals were checked and found enough; null until then, and for an admission that needs none.</summary>
    public string? ApprovedVersion { get; private set; }

    /// <summary>The approvals that let the change through (the journal names their approvers).</summary>
    public IReadOnlyList<DeploymentApproval> Approvals { get; private set; } = [];

    /// <summary>
    /// Fails with TargetMismatch unless this admission covers a <paramref name="kind"/> step on
    /// <paramref name="target"/> (null: a database with no environment). Entry points call it first.
    /// </summary>
    public Admission Require(EnvironmentConfig? target, StepKind kind = StepKind.Change) => Require(target?.Name, kind);

    /// <summary>The same, for a target known by its environment's name (a migration source).</summary>
    public Admission Require(string? target, StepKind kind = StepKind.Change)
    {
        Covers(target, kind);
        if (NeedsApproval && ApprovedVersion is null)
        {
            throw ApprovalErrors.NotChecked(Step, Environment);
        }

        return this;
    }

    /// <summary>Fails with TargetMismatch or ChangeNotAdmitted unless this admission is for <paramref name="target"/> and <paramref name="kind"/>; approvals aside.</summary>
    internal Admission Covers(string? target, StepKind kind)
    {
        if (!string.Equals(target, Environment, StringComparison.OrdinalIgnoreCase))
        {
            throw TargetMismatch.Refuse(
                $"{Step} was admitted for {Describe(Environment)} but asked to change {Describe(target)}. Nothing was changed; ask the policy of the environment you change.",
                target);
        }

        if (kind == StepKind.Change && Kind == StepKind.Recovery)
        {
            throw PolicyErrors.NotAdmitted(Step, Describe(target));
        }

        return this;
    }

    // The approvals ApprovalGate found enough for version.
    internal void Approve(string version, IReadOnlyList<DeploymentApproval> approvals)
    {
        ApprovedVersion = version;
        Approvals = approvals;
    }

    private static string Describe(string? environment) =>
        environment is null ? "a database with no environment" : $"'{environment}'";
}
