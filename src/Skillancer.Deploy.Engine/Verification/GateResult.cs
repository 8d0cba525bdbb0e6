using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification;

/// <summary>
/// What a gate (health, smoke tests) found: its results, and the one error it ends with when it fails, so the
/// caller writes the results and then the error without asking the engine again.
/// </summary>
public sealed record GateResult<T>(IReadOnlyList<T> Results, DeployException? Failure)
{
    /// <summary>True when the gate let the change through.</summary>
    public bool Passed => Failure is null;
}
