namespace Skillancer.Deploy.Engine.Verification.Smoke;

/// <summary>
/// How to start a child PowerShell: the program and the arguments that come before the script's own
/// (a pwsh executable with none, or <c>dotnet</c> with pwsh.dll when PowerShell runs as a .NET tool).
/// </summary>
public sealed record PwshProgram(string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>The full argument list for running <paramref name="script"/> without profile or prompts.</summary>
    public IReadOnlyList<string> Arguments(string script) => [.. LeadingArguments, "-NoProfile", "-NonInteractive", "-Command", script];
}
