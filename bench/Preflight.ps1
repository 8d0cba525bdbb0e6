<#
.SYNOPSIS
Test-SkPreflight's two measures (issue 14), against the sandbox.
1. The whole checklist's wall time against the sum of its items' own times (each result's Duration): goal a ratio of
   at most 0.5, since the items run at once. Median of 10 runs.
2. The requests each item sends to the sandbox (its Kubernetes API, GitHub, PagerDuty, registry, flag API and webhook; the databases and Prometheus
   are not in its request log), run alone, and whether any is repeated.
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module $env:SKDEPLOY_MODULE_PATH -Force
$sandbox = Get-BenchSandbox

$copy = New-SandboxCopy -Sandbox $sandbox
$config = $copy.Config

function Get-LastSequence {
    @(Invoke-RestMethod -Uri "$($sandbox.baseUrl)sandbox/requests") | ForEach-Object { $_.sequence } | Measure-Object -Maximum | ForEach-Object { [long] $_.Maximum }
}

try {
    Wait-SkRollout staging -ConfigPath $config -Timeout 60s | Out-Null
    # A notice, so that "stakeholders notified" finds one; then two warm-up runs.
    Test-SkPreflight staging 1.2.3 -Notify -ConfigPath $config -ErrorAction SilentlyContinue 3>$null | Out-Null
    foreach ($i in 1..2) { Test-SkPreflight staging 1.2.3 -ConfigPath $config -ErrorAction SilentlyContinue 3>$null | Out-Null }

    # 1. Wall time against the sum of the items' own times.
    $walls = [Collections.Generic.List[double]]::new()
    $sums = [Collections.Generic.List[double]]::new()
    foreach ($i in 1..10) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $results = @(Test-SkPreflight staging 1.2.3 -ConfigPath $config -ErrorAction SilentlyContinue 3>$null)
        $walls.Add($watch.Elapsed.TotalMilliseconds)
        $sums.Add(($results | ForEach-Object { $_.Duration.TotalMilliseconds } | Measure-Object -Sum).Sum)
    }
    $wall = Get-Median $walls
    $sum = Get-Median $sums
    Write-Host ('{0,-58} {1,8:N0} ms' -f 'Test-SkPreflight staging, all items (median of 10)', $wall)
    Write-Host ('{0,-58} {1,8:N0} ms' -f 'the sum of the items'' own times (median of 10)', $sum)
    Write-Host ('{0,-58} {1,8:N2}' -f 'ratio (wall / sum)', ($wall / [Math]::Max($sum, 0.001)))
    Write-Host ('{0,-58} {1,8}' -f 'items per run, and how many Failed in the last', "$($results.Count), $(@($results | Where-Object Status -EQ 'Failed').Count)")
    Write-Host 'goal: at most 0.5'

    # 2. Requests per item, alone.
    foreach ($item in 'CiPassing', 'MigrationsTested', 'FeatureFlags', 'Alerts', 'RollbackPlan', 'StakeholdersNotified', 'DeploymentWindow', 'OnCall', 'Images', 'ClusterAccess', 'StartingPoint') {
        $since = Get-LastSequence
        Test-SkPreflight staging 1.2.3 -Item $item -ConfigPath $config -ErrorAction SilentlyContinue 3>$null | Out-Null
        $requests = @((Invoke-RestMethod -Uri "$($sandbox.baseUrl)sandbox/requests?since=$since") | Where-Object { $_ -and $_.PSObject.Properties['path'] -and $_.path -notmatch '^/sandbox/' })
        $keys = @($requests | ForEach-Object { "$($_.method) $($_.path)?$($_.query)" })
        $repeated = @($keys | Group-Object | Where-Object Count -GT 1 | Where-Object Name -NotMatch 'selfsubjectaccessreviews')
        Write-Host ('{0,-22} {1,4} request(s) to the sandbox, {2} repeated' -f $item, $keys.Count, $repeated.Count)
    }
    Write-Host 'goal: no request repeated (ClusterAccess posts one SelfSubjectAccessReview per permission, each with its own body)'
}
finally {
    Remove-Item $config -ErrorAction Ignore
}
