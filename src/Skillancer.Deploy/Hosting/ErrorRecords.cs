using System.Management.Automation;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Hosting;

/// <summary>Turns engine failures into PowerShell ErrorRecords whose ids are specific and whose messages are free of secrets.</summary>
internal static class ErrorRecords
{
    /// <summary>An ErrorRecord for a failure the engine explained.</summary>
    public static ErrorRecord From(DeployException exception)
    {
        var category = Enum.TryParse<ErrorCategory>(exception.Category.ToString(), out var mapped) ? mapped : ErrorCategory.NotSpecified;
        var message = Secret.Redact(exception.Message);
        var record = new ErrorRecord(new DeployErrorException(message, exception.ErrorId), exception.ErrorId, category, exception.Target)
        {
            ErrorDetails = new ErrorDetails(message),
        };
        return record;
    }

    /// <summary>An ErrorRecord for a failure nobody anticipated: a short message, with the detail left to -Debug.</summary>
    public static ErrorRecord Unexpected(Exception exception, string command)
    {
        var message = Secret.Redact(Sentences.Join(
            $"{command} failed unexpectedly: {exception.GetType().Name}: {exception.Message}",
            "Run it again with -Debug to see the detail, and report it if it persists."));
        return new ErrorRecord(new DeployErrorException(message, "UnexpectedError"), "UnexpectedError", ErrorCategory.NotSpecified, null)
        {
            ErrorDetails = new ErrorDetails(message),
        };
    }
}
