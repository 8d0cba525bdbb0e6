namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// A failure the user can act on. Carries a stable, whitespace-free error id (it becomes the
/// FullyQualifiedErrorId), a category, the object the failure is about, and a message that says
/// what happened and what to do next.
/// </summary>
public class DeployException : Exception
{
    /// <summary>Creates a failure with a stable id, a category and an optional target.</summary>
    public DeployException(string errorId, DeployErrorCategory category, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        if (string.IsNullOrWhiteSpace(errorId) || errorId.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("An error id must be a non-empty word without whitespace.", nameof(errorId));
        }

        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    /// <summary>The stable id, e.g. <c>EnvironmentNotFound</c>.</summary>
    public string ErrorId { get; }

    /// <summary>What kind of failure this is.</summary>
    public DeployErrorCategory Category { get; }

    /// <summary>The object the failure is about: an environment name, a file, a URL.</summary>
    public object? Target { get; }
}
