# Runs programs as child processes that share this console (so colours and Ctrl+C reach them),
# with extra environment variables, and never leaves one running when the caller is interrupted.
Set-StrictMode -Version 3

function Invoke-ChildProcess {
    <# Runs a program to completion and returns its exit code. #>
    [OutputType([int])]
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{}
    )
    $start = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $start.ArgumentList.Add($argument) }
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = [string]$Environment[$name] }
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    try {
        $process.WaitForExit()
        return $process.ExitCode
    }
    finally {
        if (-not $process.HasExited) { $process.Kill($true) }
        $process.Dispose()
    }
}

function Get-PwshCommandLine {
    <# The same PowerShell as this one: `dotnet pwsh.dll` for the local tool, or the native pwsh. #>
    [OutputType([string[]])]
    param()
    $executable = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') {
        return @($executable, [IO.Path]::Combine($PSHOME, 'pwsh.dll'))
    }
    return @($executable)
}

function Invoke-ChildPwsh {
    <# Runs a script in a child pwsh with extra environment variables; returns its exit code. #>
    [OutputType([int])]
    param(
        [Parameter(Mandatory)] [string] $File,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{}
    )
    $executable, $prefix = Get-PwshCommandLine
    $arguments = @($prefix) + @('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList | Where-Object { $null -ne $_ }
    return Invoke-ChildProcess -FilePath $executable -ArgumentList $arguments -Environment $Environment
}

Export-ModuleMember -Function Invoke-ChildProcess, Get-PwshCommandLine, Invoke-ChildPwsh
