using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Policy;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>
/// Admissions for tests of the steps themselves. The policy that grants them is tested on its own
/// (Policy/EnvironmentPolicyTests); here a step only needs to be admitted for its environment.
/// </summary>
public static class Admissions
{
    /// <summary>The admission of a database named only by its connection string: it has no environment and no policy.</summary>
    public static Admission WithoutEnvironment { get; } = EnvironmentPolicy.WithoutEnvironment("test");

    /// <summary>An admission to change <paramref name="environment"/>.</summary>
    public static Admission For(EnvironmentConfig environment, StepKind kind = StepKind.Change) => For(environment.Name, kind);

    /// <summary>An admission to change <paramref name="environment"/>, which requires approval: the change still needs its version's approvals checked.</summary>
    public static Admission NeedingApproval(EnvironmentConfig environment) => new(environment.Name, "test", StepKind.Change) { NeedsApproval = true };

    /// <summary>An admission to change the environment named <paramref name="environment"/> (null: a database with no environment).</summary>
    public static Admission For(string? environment, StepKind kind = StepKind.Change) => new(environment, "test", kind);
}
