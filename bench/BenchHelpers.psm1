# Timing helpers for the side-by-side benchmarks. Medians, never single runs.
Set-StrictMode -Version 3

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$middle] }
    return ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

function Measure-Median {
    <# Runs a script block -Runs times and returns the median in milliseconds. #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [int] $Runs = 5)
    $times = foreach ($i in 1..$Runs) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        & $ScriptBlock | Out-Null
        $watch.Stop()
        $watch.Elapsed.TotalMilliseconds
    }
    return Get-Median $times
}

function Get-BenchSandbox {
    <#
    The running sandbox's description (sandbox.json), with the variables it hands its clients (tokens, webhook, database
    URLs) set in this process, as a user who pasted its block would have them.
    #>
    $sandbox = Get-Content -Raw (Join-Path (Split-Path $env:SKDEPLOY_SANDBOX_CONFIG) 'sandbox.json') | ConvertFrom-Json
    foreach ($variable in @($sandbox.environment.PSObject.Properties)) { [Environment]::SetEnvironmentVariable($variable.Name, $variable.Value) }
    $sandbox
}

function New-SandboxCopy {
    <#
    Seeds a copy of the sandbox's staging services into a fresh namespace and writes a configuration
    whose staging points at it (cluster, web app and health checks); returns the namespace and the
    configuration's path. Each bench, or each run, gets services nobody else touches.
    #>
    param([Parameter(Mandatory)] [pscustomobject] $Sandbox)
    $ns = 'bench-' + [Guid]::NewGuid().ToString('N').Substring(0, 6)
    Invoke-RestMethod -Method Post -Uri "$($Sandbox.baseUrl)sandbox/kubernetes/environments" -ContentType 'application/json' `
        -Body (@{ environment = 'staging'; namespace = $ns } | ConvertTo-Json) | Out-Null
    $config = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-bench-$ns.yml"
    (Get-Content -Raw $env:SKDEPLOY_SANDBOX_CONFIG) -replace '(?m)^(\s+namespace: )staging\s*$', "`${1}$ns" -replace '/svc/staging/', "/svc/$ns/" |
        Set-Content -Path $config -NoNewline
    [pscustomobject]@{ Namespace = $ns; Config = $config }
}

function Get-PwshCommandLine {
    $executable = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') { return @($executable, [IO.Path]::Combine($PSHOME, 'pwsh.dll')) }
    return @($executable)
}

function Write-BenchResult {
    param([string] $Name, [double] $OursMs, [string] $ReferenceName, [double] $ReferenceMs, [string] $Goal)
    Write-Host ('{0,-44} {1,10:N0} ms' -f $Name, $OursMs)
    Write-Host ('{0,-44} {1,10:N0} ms' -f $ReferenceName, $ReferenceMs)
    Write-Host ('{0,-44} {1,10:N2}x' -f 'ratio (reference / ours)', ($ReferenceMs / [Math]::Max($OursMs, 0.001)))
    if ($Goal) { Write-Host "goal: $Goal" }
}

Export-ModuleMember -Function Get-Median, Get-BenchSandbox, New-SandboxCopy, Measure-Median, Get-PwshCommandLine, Write-BenchResult
