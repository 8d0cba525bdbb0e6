<#
.SYNOPSIS
Invoke-SkCanary's decisions (issue 16), against the sandbox and its real Prometheus (one scrape a second), with
analyses every 5 s (the runbook's is a minute) and the web app at 100 requests a second per pod.
1. Decision latency: a -faulty canary (15% errors from its first request) from the moment it first gets traffic (the
   VirtualService write that gives it 10%) to traffic back on stable (the write that gives it 0%), both from the
   sandbox's request log. Goal: at most two analysis intervals plus one scrape (11 s). Side by side with a hand loop: an
   ops engineer's script that runs Start-SkCanary, asks Prometheus the same query every interval, and runs
   Stop-SkCanary after two readings over the runbook's 5% in a row. Median and max of 5 each.
2. False aborts: good canaries (the sandbox's normal noise) through steps 10, 100, the first of 15 s (three analyses,
   each a chance to fail wrongly): goal 0 aborts. The analyses judged are counted.
3. Missed faults: -faulty and -slow canaries the same way: goal 0 promotions.
-Runs sets how many good and -faulty canaries run (default 20 each; half as many -slow ones).
#>
param([int] $Runs = 20, [int] $LatencyRuns = 5)
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module $env:SKDEPLOY_MODULE_PATH -Force
$sandbox = Get-BenchSandbox
$interval = 5
$analysis = @{ minRequests = 50 }

function New-CanaryCopy {
    $copy = New-SandboxCopy -Sandbox $sandbox
    Invoke-RestMethod -Method Put -Uri "$($sandbox.baseUrl)sandbox/traffic/$($copy.Namespace)" -Body '{"requestsPerPodPerSecond":100}' -ContentType 'application/json' | Out-Null
    Wait-SkRollout staging -ConfigPath $copy.Config -Timeout 60s | Out-Null
    $copy
}

function Remove-CanaryCopy($Copy) {
    Invoke-RestMethod -Method Delete -Uri "$($sandbox.baseUrl)sandbox/kubernetes/environments/$($Copy.Namespace)" | Out-Null
    Remove-Item $Copy.Config -ErrorAction Ignore
}

# The VirtualService writes of a namespace since a request-log sequence number: their times, in order.
function Get-RouteWrites($Copy) {
    @(Invoke-RestMethod -Uri "$($sandbox.baseUrl)sandbox/requests?mutating=true" | ForEach-Object { $_ } |
            Where-Object { $_.path -match "/namespaces/$($Copy.Namespace)/virtualservices/web$" } | ForEach-Object { [DateTimeOffset] $_.time })
}

# Runs a canary to its end: the run, whatever error ended it.
function Invoke-CanaryQuietly([string] $Version, $Copy, [string] $StepDuration) {
    try { Invoke-SkCanary staging web $Version -Steps 10, 100 -StepDuration $StepDuration -Interval "$($interval)s" -Analysis $analysis -ConfigPath $Copy.Config -ErrorAction Stop 3>$null }
    catch { if ($_.FullyQualifiedErrorId -notlike 'CanaryAborted,*') { throw } }
}

# 1. Decision latency, ours and a hand loop's.
$ours = [Collections.Generic.List[double]]::new()
$hand = [Collections.Generic.List[double]]::new()
$query = (Get-SkEnvironment staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG).Prometheus.TrackErrorRateQuery
for ($i = 1; $i -le $LatencyRuns; $i++) {
    $copy = New-CanaryCopy
    try {
        Invoke-CanaryQuietly "1.2.$i-faulty" $copy '1m' | Out-Null
        $writes = Get-RouteWrites $copy
        $ours.Add(($writes[-1] - $writes[0]).TotalSeconds)

        # The hand loop: the same query, every interval, two bad readings in a row.
        Start-SkCanary staging web "1.3.$i-faulty" -Weight 10 -ConfigPath $copy.Config 3>$null | Out-Null
        $promql = $query.Replace('{namespace}', $copy.Namespace).Replace('{service}', 'web').Replace('{track}', 'canary')
        $bad = 0
        while ($bad -lt 2) {
            Start-Sleep -Seconds $interval
            $answer = Invoke-RestMethod -Uri "$($sandbox.prometheus)api/v1/query?query=$([Uri]::EscapeDataString($promql))"
            $value = if ($answer.data.result.Count -gt 0) { [double] $answer.data.result[0].value[1] } else { 0 }
            $bad = if ($value -gt 0.05) { $bad + 1 } else { 0 }
        }
        Stop-SkCanary staging web -ConfigPath $copy.Config 3>$null | Out-Null
        $writes = Get-RouteWrites $copy
        $hand.Add(($writes[-1] - $writes[-2]).TotalSeconds)
    }
    finally { Remove-CanaryCopy $copy }
}
$goal = 2 * $interval + 1
Write-Host ('{0,-58} {1,6:N1} s (max {2:N1} s)' -f "Invoke-SkCanary: faulty canary's traffic back on stable (median of $LatencyRuns)", (Get-Median $ours), ($ours | Measure-Object -Maximum).Maximum)
Write-Host ('{0,-58} {1,6:N1} s (max {2:N1} s)' -f "reference: a hand loop with Set/Stop-SkCanary, same query", (Get-Median $hand), ($hand | Measure-Object -Maximum).Maximum)
Write-Host ("goal: at most two analysis intervals plus one scrape ({0} s)" -f $goal)

# 2 and 3. False aborts and missed faults.
$copy = New-CanaryCopy
try {
    $good = @(for ($i = 1; $i -le $Runs; $i++) { Invoke-CanaryQuietly "2.0.$i" $copy '15s' })
    $aborted = @($good | Where-Object Outcome -NE 'Promoted')
    $analyses = ($good | ForEach-Object { @($_.Samples).Count } | Measure-Object -Sum).Sum
    $failed = @($good | ForEach-Object { $_.Samples } | Where-Object Verdict -NE 'Pass').Count
    Write-Host ('{0,-58} {1,3} of {2}' -f 'good canaries aborted (false aborts; goal 0)', $aborted.Count, $Runs)
    Write-Host ('{0,-58} {1,3} of {2}' -f '  their analyses that did not pass', $failed, $analyses)
    foreach ($run in $aborted) { Write-Host "  $($run.Version): $($run.Reason)" }
    foreach ($kind in 'faulty', 'slow') {
        $faults = if ($kind -eq 'faulty') { $Runs } else { [Math]::Max(1, [int]($Runs / 2)) }
        $promoted = @(@(for ($i = 1; $i -le $faults; $i++) { Invoke-CanaryQuietly "3.0.$i-$kind" $copy '5s' }) | Where-Object Outcome -EQ 'Promoted')
        Write-Host ('{0,-58} {1,3} of {2}' -f "-$kind canaries promoted (missed faults; goal 0)", $promoted.Count, $faults)
    }
}
finally { Remove-CanaryCopy $copy }
