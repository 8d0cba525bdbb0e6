<#
.SYNOPSIS
Two rollout measures against the sandbox's cluster.
1. Detection latency: from the moment the sandbox marks a rollout complete to Wait-SkRollout returning,
   side by side with `kubectl rollout status` watching the same rollout. Goal: ratio (ours / kubectl) <= 1.0.
2. Wall time of Start-SkRollout for the five services across the four tiers, against the sum of the
   tiers' slowest rollouts. Goal: no more than that sum plus 10%.
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module $env:SKDEPLOY_MODULE_PATH -Force
$sandbox = Get-Content -Raw (Join-Path (Split-Path $env:SKDEPLOY_SANDBOX_CONFIG) 'sandbox.json') | ConvertFrom-Json

# A namespace of the bench's own, holding a copy of staging's services.
$copy = New-SandboxCopy -Sandbox $sandbox
$ns = $copy.Namespace
$config = $copy.Config
$kubeconfig = (Get-SkEnvironment staging -ConfigPath $config).Kubernetes.Kubeconfig
$cache = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-bench-kubectl-$PID"


function Get-CompletedAt([string] $Deployment) {
    $all = Invoke-RestMethod -Uri "$($sandbox.baseUrl)sandbox/kubernetes/rollouts"
    $entry = $all | Where-Object { $_.namespace -eq $ns -and $_.deployment -eq $Deployment }
    # ConvertFrom-Json has already made a DateTime of it; as a DateTimeOffset it is the same instant.
    return [DateTimeOffset]$entry.completedAt
}

try {
    Wait-SkRollout staging -ConfigPath $config -Timeout 60s | Out-Null
    $kubectl = Get-Command kubectl -ErrorAction Ignore
    if (-not $kubectl) { throw 'kubectl is not installed (build.ps1 -Task Bootstrap installs it).' }

    # 1. Detection latency, 7 rollouts of one service watched by both.
    $ours = [Collections.Generic.List[double]]::new()
    $theirs = [Collections.Generic.List[double]]::new()
    foreach ($i in 0..15) {
        Start-SkRollout staging "1.3.$i" -Service web -NoWait -ConfigPath $config | Out-Null
        $start = [Diagnostics.ProcessStartInfo]::new($kubectl.Source)
        foreach ($argument in '--kubeconfig', $kubeconfig, '--cache-dir', $cache, 'rollout', 'status', 'deployment/web', '-n', $ns, '--timeout=120s') { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardOutput = $true
        $start.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($start)
        $null = $process.StandardOutput.ReadToEndAsync()
        Wait-SkRollout staging web -ConfigPath $config -Timeout 120s | Out-Null
        $oursAt = [DateTimeOffset]::UtcNow
        $process.WaitForExit()
        $kubectlAt = [DateTimeOffset]$process.ExitTime.ToUniversalTime()
        $process.Dispose()
        $completed = Get-CompletedAt 'web'
        if ($i -eq 0) { continue }   # warm-up: JIT, connection pools, kubectl's discovery cache
        $ours.Add(($oursAt - $completed).TotalMilliseconds)
        $theirs.Add(($kubectlAt - $completed).TotalMilliseconds)
    }

    $oursMedian = Get-Median $ours
    $theirsMedian = Get-Median $theirs
    Write-Host ('{0,-58} {1,8:N1} ms' -f 'Wait-SkRollout: completion -> return (median of 15)', $oursMedian)
    Write-Host ('{0,-58} {1,8:N1} ms' -f 'kubectl rollout status: completion -> exit (median of 15)', $theirsMedian)
    Write-Host ('{0,-58} {1,8:N2}' -f 'ratio (ours / kubectl)', ($oursMedian / [Math]::Max($theirsMedian, 0.001)))
    Write-Host 'goal: ratio 1.0 or less'

    # 2. Wall time of a five-service, four-tier rollout against the sum of the tiers' slowest rollouts.
    $tiers = @{}
    foreach ($service in (Get-SkEnvironment staging -ConfigPath $config).Services) { $tiers[$service.Name] = $service.Tier }
    $ratios = foreach ($run in 1..3) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $results = Start-SkRollout staging "1.4.$run" -ConfigPath $config
        $watch.Stop()
        if (@($results | Where-Object Status -ne 'Complete').Count) { throw 'A bench rollout did not complete.' }
        $slowest = $results | Group-Object { $tiers[$_.Service] } | ForEach-Object { ($_.Group.Duration | Measure-Object TotalMilliseconds -Maximum).Maximum }
        $sum = ($slowest | Measure-Object -Sum).Sum
        Write-Host ('run {0}: Start-SkRollout {1,8:N0} ms; sum of the tiers'' slowest rollouts {2,8:N0} ms; ratio {3:N3}' -f $run, $watch.Elapsed.TotalMilliseconds, $sum, ($watch.Elapsed.TotalMilliseconds / $sum))
        $watch.Elapsed.TotalMilliseconds / $sum
    }

    Write-Host ('{0,-58} {1,8:N3}' -f 'wall time / sum of slowest per tier (median of 3)', (Get-Median $ratios))
    Write-Host 'goal: 1.10 or less'
}
finally {
    Remove-Item $config -ErrorAction Ignore
    Remove-Item $cache -Recurse -ErrorAction Ignore
}
