<#
.SYNOPSIS
Invoke-SkDeployment's orchestration overhead (issue 15), against the sandbox: a five-service staging deployment with a
10 s watch.
1. The run's wall time against the sum of its steps' own times (each DeploymentStep's Duration): what is left is the
   orchestration (the promotion check, identity, lock, journal record, reports), goal under 3 s. Median of 3, with the
   breakdown per step of the last run.
2. The reference: the same steps by hand, one cmdlet each (Test-SkPreflight, Send-SkNotification, Start-SkRollout,
   Test-SkHealth, Invoke-SkSmokeTest, Watch-SkErrorRate, Clear-SkCdnCache), timed the same way.
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module $env:SKDEPLOY_MODULE_PATH -Force
$sandbox = Get-BenchSandbox

$copy = New-SandboxCopy -Sandbox $sandbox
# The bench's copy keeps no database of its own: the migrations step is the same read in every run, so leave it out.
$config = $copy.Config
(Get-Content -Raw $config) -replace '(?m)^    database:\s*\n(      .*\n)+', '' | Set-Content -Path $config -NoNewline

try {
    Wait-SkRollout staging -ConfigPath $config -Timeout 60s | Out-Null
    $walls = [Collections.Generic.List[double]]::new()
    $sums = [Collections.Generic.List[double]]::new()
    $run = $null
    foreach ($version in '1.2.3', '1.2.4', '1.2.5') {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-SkDeployment staging $version -MonitorDuration 10s -ConfigPath $config -WarningAction SilentlyContinue
        $walls.Add($watch.Elapsed.TotalMilliseconds)
        $sums.Add(($run.Steps | ForEach-Object { $_.Duration.TotalMilliseconds } | Measure-Object -Sum).Sum)
        if ($run.Status -ne 'Succeeded') { throw "The run of $version ended $($run.Status)." }
    }

    $wall = Get-Median $walls
    $sum = Get-Median $sums
    Write-Host ('{0,-52} {1,8:N0} ms' -f 'Invoke-SkDeployment staging, 5 services, 10 s watch (median of 3)', $wall)
    Write-Host ('{0,-52} {1,8:N0} ms' -f 'the sum of its steps'' own times (median of 3)', $sum)
    Write-Host ('{0,-52} {1,8:N0} ms' -f 'orchestration overhead (wall - steps)', ($wall - $sum))
    Write-Host 'goal: overhead under 3000 ms'
    Write-Host 'the last run, step by step:'
    foreach ($step in $run.Steps) { Write-Host ('  {0,-30} {1,8:N0} ms' -f $step.Name, $step.Duration.TotalMilliseconds) }

    # 2. The same steps by hand, one cmdlet each, on the next version.
    $byHand = [Diagnostics.Stopwatch]::StartNew()
    Test-SkPreflight staging 1.2.3 -Item CiPassing, MigrationsTested, FeatureFlags, Alerts, RollbackPlan, DeploymentWindow, OnCall, Images, ClusterAccess, StartingPoint -ConfigPath $config -ErrorAction SilentlyContinue 3>$null | Out-Null
    New-SkDeploymentNotice -Kind Started -Version 1.2.3 -Environment staging -ConfigPath $config | Send-SkNotification -ConfigPath $config | Out-Null
    Start-SkRollout staging 1.2.3 -ConfigPath $config 3>$null | Out-Null
    Test-SkHealth staging -Retry 5 -RetryIntervalSec 2 -ConfigPath $config 3>$null | Out-Null
    Invoke-SkSmokeTest staging -ConfigPath $config 3>$null | Out-Null
    Watch-SkErrorRate staging -Duration 10s -ConfigPath $config 3>$null | Out-Null
    Clear-SkCdnCache staging -Path '/*' -Version 1.2.3 -ConfigPath $config 3>$null | Out-Null
    New-SkDeploymentNotice -Kind Complete -Version 1.2.3 -Environment staging -ConfigPath $config 3>$null | Send-SkNotification -ConfigPath $config | Out-Null
    Write-Host ('{0,-52} {1,8:N0} ms' -f 'reference: the same steps by hand, one cmdlet each', $byHand.Elapsed.TotalMilliseconds)
}
finally {
    Remove-Item $config -ErrorAction Ignore
}
