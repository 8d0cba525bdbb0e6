namespace Skillancer.Deploy.Hosting;

/// <summary>
/// The exception an ErrorRecord carries. It holds only the redacted message and the error id, so
/// $Error never shows a stack trace from inside the engine or a secret.
/// </summary>
public sealed class DeployErrorException : Exception
{
    /// <summary>Creates the exception with an already-redacted message.</summary>
    public DeployErrorException(string message, string errorId)
        : base(message)
    {
        ErrorId = errorId;
    }

    /// <summary>The stable id, e.g. <c>EnvironmentNotFound</c>.</summary>
    public string ErrorId { get; }

    /// <inheritdoc/>
    public override string? StackTrace => null;
}
