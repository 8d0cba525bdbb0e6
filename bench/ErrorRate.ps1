<#
.SYNOPSIS
Breach-to-decision latency: from the moment a faulty version finishes rolling out to the moment the
rollback's PATCH reaches the cluster, with the sandbox's Prometheus scraping every second.
1. Watch-SkErrorRate -AutoRollback -Interval 1s (the sandbox's query: errors / requests over 5 s).
2. A hand-written loop with the same query and interval, then `kubectl rollout undo`: our overhead.
3. The runbook's way, scripted: `watch -n 5` on a 1-minute window, then `kubectl rollout undo`.
Each run uses a namespace of its own, so no run sees another's errors. Median of 5 runs each.
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module $env:SKDEPLOY_MODULE_PATH -Force
$sandbox = Get-Content -Raw (Join-Path (Split-Path $env:SKDEPLOY_SANDBOX_CONFIG) 'sandbox.json') | ConvertFrom-Json
if (-not $sandbox.prometheus) { Write-Warning 'The sandbox runs no Prometheus (apt-get install prometheus); skipping the error-rate benchmark.'; return }
$kubectl = (Get-Command kubectl -ErrorAction Stop).Source
$cache = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-bench-kubectl-$PID"
$configs = [Collections.Generic.List[string]]::new()


function New-BenchNamespace {
    # A copy of staging in a fresh namespace, with Prometheus already giving its rates.
    $copy = New-SandboxCopy -Sandbox $sandbox
    $ns, $config = $copy.Namespace, $copy.Config
    $configs.Add($config)
    Wait-SkRollout staging -ConfigPath $config -Timeout 60s | Out-Null
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not (Watch-SkErrorRate staging market-svc -Duration 1s -Interval 1s -Quiet -ConfigPath $config 3>$null) -and [DateTime]::UtcNow -lt $deadline) { }
    [pscustomobject]@{ Namespace = $ns; Config = $config }
}

function Start-Faulty($Bench, [int] $Run) {
    # Rolls the faulty version out and returns the rollout and the moment the sandbox completed it.
    $rollout = Start-SkRollout staging "1.5.$Run-faulty" -Service market-svc -ConfigPath $Bench.Config | Wait-SkRollout -ConfigPath $Bench.Config
    $all = Invoke-RestMethod -Uri "$($sandbox.baseUrl)sandbox/kubernetes/rollouts"   # one array: enumerate it after assigning
    $completed = $all | Where-Object { $_.namespace -eq $Bench.Namespace -and $_.deployment -eq 'market-svc' }
    [pscustomobject]@{ Rollout = $rollout; CompletedAt = [DateTimeOffset]$completed.completedAt }
}

function Get-DecisionLatency($Bench, [DateTimeOffset] $CompletedAt) {
    # The first change to market-svc after the faulty rollout completed: the rollback's PATCH.
    $all = Invoke-RestMethod -Uri "$($sandbox.baseUrl)sandbox/requests?mutating=true"
    $patch = $all | Where-Object { $_.path -like "*/namespaces/$($Bench.Namespace)/deployments/market-svc" -and [DateTimeOffset]$_.time -gt $CompletedAt } | Select-Object -First 1
    if (-not $patch) { throw "No rollback reached market-svc in $($Bench.Namespace)." }
    ([DateTimeOffset]$patch.time - $CompletedAt).TotalMilliseconds
}

function Invoke-HandLoop($Bench, [string] $Window, [TimeSpan] $Interval) {
    # What a script without the module does: poll the ratio, compare, and call kubectl.
    $labels = "namespace=""$($Bench.Namespace)"",service=""market-svc"""
    $Query = "sum(rate(http_errors_total{$labels}[$Window])) / sum(rate(http_requests_total{$labels}[$Window]))"
    $kubeconfig = (Get-SkEnvironment staging -ConfigPath $Bench.Config).Kubernetes.Kubeconfig
    $url = "$($sandbox.prometheus)api/v1/query?query=$([Uri]::EscapeDataString($Query))"
    $deadline = [DateTime]::UtcNow.AddMinutes(3)
    while ([DateTime]::UtcNow -lt $deadline) {
        $answer = Invoke-RestMethod -Uri $url
        if ($answer.data.result.Count -and [double]$answer.data.result[0].value[1] -gt 0.10) {
            & $kubectl --kubeconfig $kubeconfig --cache-dir $cache rollout undo deployment/market-svc -n $Bench.Namespace | Out-Null
            return
        }
        Start-Sleep -Milliseconds $Interval.TotalMilliseconds
    }
    throw 'The hand loop never saw the breach.'
}

try {
    $results = @{ ours = [Collections.Generic.List[double]]::new(); hand = [Collections.Generic.List[double]]::new(); runbook = [Collections.Generic.List[double]]::new() }
    foreach ($run in 1..5) {
        $bench = New-BenchNamespace
        $faulty = Start-Faulty $bench $run
        $faulty.Rollout | Watch-SkErrorRate -Duration 3m -Interval 1s -AutoRollback -ConfigPath $bench.Config 3>$null | Out-Null
        $results.ours.Add((Get-DecisionLatency $bench $faulty.CompletedAt))

        $bench = New-BenchNamespace
        $faulty = Start-Faulty $bench $run
        Invoke-HandLoop $bench '5s' ([TimeSpan]::FromSeconds(1))
        $results.hand.Add((Get-DecisionLatency $bench $faulty.CompletedAt))

        $bench = New-BenchNamespace
        $faulty = Start-Faulty $bench $run
        Invoke-HandLoop $bench '1m' ([TimeSpan]::FromSeconds(5))
        $results.runbook.Add((Get-DecisionLatency $bench $faulty.CompletedAt))
        Write-Host ('run {0}: Watch-SkErrorRate {1,7:N0} ms; hand loop {2,7:N0} ms; runbook cadence {3,7:N0} ms' -f $run, $results.ours[-1], $results.hand[-1], $results.runbook[-1])
    }

    Write-Host ('{0,-66} {1,8:N0} ms' -f 'Watch-SkErrorRate -AutoRollback, 1 s interval (median of 5)', (Get-Median $results.ours))
    Write-Host ('{0,-66} {1,8:N0} ms' -f 'hand loop, same query and interval, kubectl undo (median of 5)', (Get-Median $results.hand))
    Write-Host ('{0,-66} {1,8:N0} ms' -f 'runbook cadence: 1m window every 5 s, kubectl undo (median of 5)', (Get-Median $results.runbook))
    Write-Host ('{0,-66} {1,8:N2}' -f 'ratio (ours / hand loop)', ((Get-Median $results.ours) / [Math]::Max((Get-Median $results.hand), 1)))
}
finally {
    $configs | Remove-Item -ErrorAction Ignore
    Remove-Item $cache -Recurse -ErrorAction Ignore
}
