namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// The kinds of failure the engine reports. The names match PowerShell's ErrorCategory members,
/// so the cmdlet layer maps them by name without the engine referencing PowerShell.
/// </summary>
public enum DeployErrorCategory
{
    /// <summary>Something went wrong that fits no other category.</summary>
    NotSpecified,
    /// <summary>A named thing (environment, service, file) does not exist.</summary>
    ObjectNotFound,
    /// <summary>A parameter value is not acceptable.</summary>
    InvalidArgument,
    /// <summary>Data read from a file or a server is not acceptable.</summary>
    InvalidData,
    /// <summary>The operation is not valid in the current state.</summary>
    InvalidOperation,
    /// <summary>A required setting or secret is missing.</summary>
    NotInstalled,
    /// <summary>A remote endpoint could not be reached.</summary>
    ConnectionError,
    /// <summary>A remote endpoint refused our credentials.</summary>
    PermissionDenied,
    /// <summary>A remote endpoint is reachable but not answering properly.</summary>
    ResourceUnavailable,
    /// <summary>An operation did not finish in time.</summary>
    OperationTimeout,
    /// <summary>The input could not be parsed.</summary>
    ParserError,
    /// <summary>Something that should be created already exists.</summary>
    ResourceExists,
    /// <summary>A file could not be written.</summary>
    WriteError,
    /// <summary>An operation ran and its result is a failure (a rollout that did not succeed).</summary>
    InvalidResult,
    /// <summary>Someone else holds what the operation needs (an environment's lock).</summary>
    ResourceBusy,
}
