namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// An object handed to a command came from another target (environment, database, distribution) than
/// the one the command works on. Every such refusal has this one error id, so scripts can catch it.
/// </summary>
public static class TargetMismatch
{
    /// <summary>Error id of every refusal of an object from another target.</summary>
    public const string ErrorId = "TargetMismatch";

    /// <summary>The refusal: <paramref name="message"/> names both targets and says how to pick the right one.</summary>
    public static DeployException Refuse(string message, object? target) =>
        new(ErrorId, DeployErrorCategory.InvalidArgument, message, target);
}
