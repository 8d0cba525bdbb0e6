# Starts the sandbox as a child process, waits for the line that names its configuration, and
# stops it again: politely through its standard input first, then by killing its process tree.
Set-StrictMode -Version 3

$ConfigLinePattern = '^\$env:SKDEPLOY_CONFIG = ''(?<path>.+)''$'

function Start-Sandbox {
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)] [string] $SandboxDll,
        [Parameter(Mandatory)] [string] $OutputDirectory,
        [string[]] $ArgumentList = @(),
        [TimeSpan] $Timeout = [TimeSpan]::FromSeconds(90)
    )
    if (-not (Test-Path $SandboxDll)) { throw "The sandbox is not built ($SandboxDll). Run the Build task first." }
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($SandboxDll, '--out', $OutputDirectory, '--parent-pid', $PID, '--stop-on-stdin') + $ArgumentList) { $start.ArgumentList.Add([string]$argument) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    New-Item -ItemType Directory -Path $OutputDirectory -Force | Out-Null
    $errorLog = [IO.File]::Create([IO.Path]::Combine($OutputDirectory, 'sandbox.stderr.log'))
    $drainErrors = $process.StandardError.BaseStream.CopyToAsync($errorLog)
    $deadline = [DateTime]::UtcNow + $Timeout
    $printed = [Collections.Generic.List[string]]::new()
    while ([DateTime]::UtcNow -lt $deadline) {
        $read = $process.StandardOutput.ReadLineAsync()
        if (-not $read.Wait($deadline - [DateTime]::UtcNow)) { break }
        $line = $read.Result
        if ($null -eq $line) { break }
        $printed.Add($line)
        if ($line -match $ConfigLinePattern) {
            Write-Host "Sandbox started: $line"
            # What it printed up to here, the block of variables to paste included, for the tests that check it.
            [IO.File]::WriteAllLines([IO.Path]::Combine($OutputDirectory, 'sandbox.stdout.log'), $printed)
            # Keep reading its output so the sandbox never blocks on a full pipe.
            $drainOutput = $process.StandardOutput.BaseStream.CopyToAsync([IO.Stream]::Null)
            # sandbox.json holds its address and, when it runs PostgreSQL, the databases' URLs.
            $info = Get-Content -Raw ([IO.Path]::Combine((Split-Path $Matches.path), 'sandbox.json')) | ConvertFrom-Json
            return [pscustomobject]@{ Process = $process; ConfigPath = $Matches.path; Info = $info; Drains = @($drainOutput, $drainErrors); ErrorLog = $errorLog }
        }
        Write-Host "sandbox: $line"
    }
    Stop-Sandbox ([pscustomobject]@{ Process = $process; ConfigPath = $null; Drains = @($drainErrors); ErrorLog = $errorLog })
    throw "The sandbox did not report its configuration within $($Timeout.TotalSeconds) s. See $OutputDirectory/sandbox.stderr.log."
}

function Stop-Sandbox {
    param([pscustomobject] $Sandbox)
    if (-not $Sandbox -or -not $Sandbox.Process) { return }
    $process = $Sandbox.Process
    if (-not $process.HasExited) {
        try { $process.StandardInput.WriteLine('stop'); $process.StandardInput.Close() } catch { }
        if (-not $process.WaitForExit(10000)) { $process.Kill($true); $null = $process.WaitForExit(5000) }
    }
    try { [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]$Sandbox.Drains, 5000) | Out-Null } catch { }
    $Sandbox.ErrorLog.Dispose()
    $process.Dispose()
}

Export-ModuleMember -Function Start-Sandbox, Stop-Sandbox
