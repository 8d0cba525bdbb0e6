using System.Management.Automation;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification;
using Skillancer.Deploy.Engine.Verification.Smoke;

namespace Skillancer.Deploy.Verification;

/// <summary>How this session starts a child PowerShell like itself, and which Pester that child imports.</summary>
internal static class ChildPowerShell
{
    /// <summary>
    /// The running pwsh; under <c>dotnet pwsh</c> (the .NET tool) the process is dotnet, so the child is
    /// dotnet with pwsh.dll from $PSHOME. Any other host falls back to pwsh on PATH.
    /// </summary>
    public static PwshProgram Program(SessionState session)
    {
        var process = System.Environment.ProcessPath ?? "pwsh";
        var name = System.IO.Path.GetFileNameWithoutExtension(process);
        if (name.Equals("pwsh", StringComparison.OrdinalIgnoreCase))
        {
            return new PwshProgram(process, []);
        }

        var home = session.PSVariable.GetValue("PSHOME") as string;
        var dll = home is null ? null : System.IO.Path.Join(home, "pwsh.dll");
        return name.Equals("dotnet", StringComparison.OrdinalIgnoreCase) && File.Exists(dll)
            ? new PwshProgram(process, [dll])
            : new PwshProgram("pwsh", []);
    }

    /// <summary>The manifest of Pester 5 or later: the one loaded in this session, else the newest installed.</summary>
    public static string PesterModule(CommandInvocationIntrinsics invoke)
    {
        const string find = "@(Get-Module Pester) + @(Get-Module -ListAvailable Pester) | Where-Object Version -ge '5.0.0' | Sort-Object Version -Descending | Select-Object -First 1 -ExpandProperty Path";
        return invoke.InvokeScript(find).FirstOrDefault()?.BaseObject as string
            ?? throw new DeployException(VerificationErrors.PesterNotFound, DeployErrorCategory.NotInstalled,
                "-Path runs a Pester suite, but Pester 5 or later is not installed. Install it (Install-PSResource Pester, or Install-Module Pester -MinimumVersion 5) and run the command again.",
                "Pester");
    }
}
