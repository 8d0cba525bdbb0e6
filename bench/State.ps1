<#
.SYNOPSIS
The deployment state's three measures (issue 13), against the sandbox's cluster.
1. Overhead of the lock and the journal on a one-service rollout: Start-SkRollout of the version web already runs
   (a rollout that changes nothing, so what remains is the lock, the journal and one read of the deployment),
   against Get-SkDeployment of the same service (that read alone). Goal: difference under 50 ms (median). Measured
   again with a full journal (100 records), since each action lists the records to prune, and again where approval
   is required (the version's approvals read before the lock).
2. Time until a second action is refused while another holds the lock. Goal: under 1 s.
3. Time from a holder's death (SIGKILL) until the next action holds the lock, with a 2 s lease. Goal: at most
   the lease duration plus 1 s.
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module $env:SKDEPLOY_MODULE_PATH -Force
$sandbox = Get-Content -Raw (Join-Path (Split-Path $env:SKDEPLOY_SANDBOX_CONFIG) 'sandbox.json') | ConvertFrom-Json

$copy = New-SandboxCopy -Sandbox $sandbox
$config = $copy.Config
$short = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-bench-$($copy.Namespace)-short.yml"
(Get-Content -Raw $config) -replace '(?m)^defaults:\s*$', "defaults:`n  lock:`n    leaseDuration: 2s" | Set-Content -Path $short -NoNewline

function Get-Lease {
    $json = kubectl --kubeconfig $sandbox.kubeconfigs.admin get lease skdeploy-staging -n $copy.Namespace -o json 2>$null
    if ($LASTEXITCODE -ne 0) { return $null }
    $json | ConvertFrom-Json
}

function Wait-Holder {
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not ((Get-Lease)?.spec.PSObject.Properties['holderIdentity'])) {
        if ([DateTime]::UtcNow -gt $deadline) { throw 'Nobody took the lock within 60 s.' }
        Start-Sleep -Milliseconds 50
    }
}

function Start-Holder([string] $ConfigPath) {
    # A rollout whose pods never become ready: it holds the lock while it waits.
    $command = Get-PwshCommandLine
    $start = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($argument in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command',
            "Import-Module '$env:SKDEPLOY_MODULE_PATH'; Start-SkRollout staging 9.9.$(Get-Random -Maximum 1000)-broken -Service web -Timeout 5m -ConfigPath '$ConfigPath'")) {
        $start.ArgumentList.Add($argument)
    }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($start)
    $null = $process.StandardOutput.ReadToEndAsync()
    $null = $process.StandardError.ReadToEndAsync()
    $process
}

try {
    Wait-SkRollout staging -ConfigPath $config -Timeout 60s | Out-Null
    $current = (Get-SkDeployment staging web -ConfigPath $config).Version

    # 1. Overhead: 5 warm-ups, then 25 of each, interleaved.
    foreach ($i in 1..5) { Start-SkRollout staging $current -Service web -ConfigPath $config | Out-Null; Get-SkDeployment staging web -ConfigPath $config | Out-Null }
    $locked = [Collections.Generic.List[double]]::new()
    $plain = [Collections.Generic.List[double]]::new()
    foreach ($i in 1..25) {
        $locked.Add((Measure-Median { Start-SkRollout staging $current -Service web -ConfigPath $config } -Runs 1))
        $plain.Add((Measure-Median { Get-SkDeployment staging web -ConfigPath $config } -Runs 1))
    }
    $lockedMedian = Get-Median $locked
    $plainMedian = Get-Median $plain
    Write-Host ('{0,-62} {1,8:N1} ms' -f 'Start-SkRollout of the running version (lock + journal)', $lockedMedian)
    Write-Host ('{0,-62} {1,8:N1} ms' -f 'Get-SkDeployment of the same service (reference)', $plainMedian)
    Write-Host ('{0,-62} {1,8:N1} ms' -f 'overhead of the lock and the journal (median difference)', ($lockedMedian - $plainMedian))
    Write-Host 'goal: under 50 ms'

    # 1b. The same with a full journal (journal.keep, 100 records): each action lists the records to prune the oldest.
    while (@(Get-SkDeploymentLog staging -ConfigPath $config).Count -lt 100) {
        foreach ($i in 1..10) { Start-SkRollout staging $current -Service web -ConfigPath $config | Out-Null }
    }
    $full = foreach ($i in 1..25) { Measure-Median { Start-SkRollout staging $current -Service web -ConfigPath $config } -Runs 1 }
    Write-Host ('{0,-62} {1,8:N1} ms' -f 'the same with 100 records in the journal (median of 25)', (Get-Median $full))
    Write-Host ('{0,-62} {1,8:N1} ms' -f 'overhead with a full journal (median difference)', ((Get-Median $full) - $plainMedian))

    # 1c. The same where approval is required: the approvals of the version are listed and checked first.
    $approving = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-bench-$($copy.Namespace)-approval.yml"
    ((Get-Content -Raw $config) -replace '(?m)^(\s+)requireApproval: false', '${1}requireApproval: true') | Set-Content -Path $approving -NoNewline
    Approve-SkDeployment staging $current -Kubeconfig $sandbox.kubeconfigs.approver -ConfigPath $approving | Out-Null
    $approved = foreach ($i in 1..25) { Measure-Median { Start-SkRollout staging $current -Service web -Force -ConfigPath $approving } -Runs 1 }
    Remove-Item $approving
    Write-Host ('{0,-62} {1,8:N1} ms' -f 'the same where approval is required (median of 25)', (Get-Median $approved))
    Write-Host ('{0,-62} {1,8:N1} ms' -f 'overhead of the approval check (over the full-journal run)', ((Get-Median $approved) - (Get-Median $full)))

    # 2. Refusal while another process holds the lock: 10 attempts.
    $holder = Start-Holder $config
    try {
        Wait-Holder
        $refusals = foreach ($i in 1..10) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            try { Start-SkRollout staging $current -Service web -ConfigPath $config -ErrorAction Stop | Out-Null; throw 'The second action was not refused.' }
            catch { if ($_.FullyQualifiedErrorId -notlike 'DeploymentLocked,*') { throw } }
            $watch.Elapsed.TotalMilliseconds
        }
    }
    finally { $holder.Kill(); $holder.WaitForExit(); $holder.Dispose() }
    Write-Host ('{0,-62} {1,8:N1} ms' -f 'a second action refused with DeploymentLocked (median of 10)', (Get-Median $refusals))
    Write-Host 'goal: under 1000 ms'
    Unlock-SkEnvironment staging -Force -ConfigPath $config | Out-Null

    # 3. Takeover after SIGKILL, with a 2 s lease: 5 runs, from the kill to the moment the next action holds the lock.
    $delays = foreach ($run in 1..5) {
        $holder = Start-Holder $short
        Wait-Holder
        Start-Sleep -Milliseconds (Get-Random -Minimum 0 -Maximum 700)   # die at any point of the renewal cycle
        $killedAt = [DateTimeOffset]::UtcNow
        $holder.Kill(); $holder.WaitForExit(); $holder.Dispose()
        Start-SkRollout staging $current -Service web -LockTimeout 30s -ConfigPath $short 3>$null | Out-Null
        # The new record is opened the moment its action holds the lock (the Lease is released by now).
        $acquired = (Get-SkDeploymentLog staging -Last 1 -ConfigPath $short).StartedAt
        ($acquired - $killedAt).TotalMilliseconds
    }
    Write-Host ('{0,-62} {1,8:N0} ms (max {2:N0})' -f 'kill -> the next action holds the lock, 2 s lease (median of 5)', (Get-Median $delays), ($delays | Measure-Object -Maximum).Maximum)
    Write-Host 'goal: at most 3000 ms (lease + 1 s)'
}
finally {
    Remove-Item $config, $short -ErrorAction Ignore
}
