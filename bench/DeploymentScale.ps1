<#
.SYNOPSIS
Invoke-SkDeployment at scale (issue 15): a 200-service staging in four tiers (20 shared, 150 backend, 20 gateway,
10 frontend), deployed whole (preflight to the Complete notice, with a 10 s watch) three times, each run in a fresh
pwsh of its own; medians of the three, every run's rollout broken down by tier, and the last run's steps and requests.

The services live in a second sandbox that the bench starts for itself (build/Sandbox.psm1's Start-Sandbox, without
PostgreSQL, with Prometheus when it is installed, at the sandbox's default pace of 1 s per replica step), seeded from a
scenario New-ScaleScenario (BenchHelpers.psm1) writes: the runbook's five services as the running sandbox's
skdeploy.yml defines them, and generated ones to fill each tier. The runs use the skdeploy.yml that sandbox writes
(no database section, so no migrations step), with -AcceptPreflightWarnings.

That sandbox gets 32 thread-pool threads from its start (DOTNET_ThreadPool_ForceMinWorkerThreads, for its process
only; the module's pwsh runs with the runtime's defaults). At this scale the sandbox itself starves its thread pool on
a small machine (2 cores: 2 threads to start with) under 150-200 concurrent watches and its controller's passes over
200 deployments, and stops answering for 0.2-1.3 s at a time while the pool slowly grows (most in a fresh sandbox's
first rollout): 150 PATCHes sent one after another then took up to 3.8 s instead of 0.3-0.9 s, and the ratio of 1.
came out 1.12-1.82 in such runs instead of 1.02-1.09. With the same module, raising the sandbox's threads removed every
such stall; raising the module's did not. A real API server does not stall that way, so it is not counted here.

1. Rollout wall time against the sum of the tier maxima. Ours: the Rollout step's Duration in the DeploymentRun the
   cmdlet returns. The reference: for each tier the longest single service rollout, summed. Invoke-SkDeployment does
   not expose per-service durations, so they come from the sandbox's own clock in the same run: from the moment the
   sandbox served the service's PATCH (its request log) to the moment its controller marked that rollout complete
   (GET /sandbox/kubernetes/rollouts). That leaves out the client's detection latency, so it is a little stricter than
   bench/Rollout.ps1's reference. Goal: 1.10 or less. Every run's rollout is broken down by tier (how long its PATCHes
   took to go out and the longest gap between two of them, its slowest rollout, the time to the next tier's first
   PATCH): the overhead is the time a tier's PATCHes take to go out (one after another), the reads before the first,
   and the hand-offs. A second reference, measured as bench/Rollout.ps1 measures it: Start-SkRollout of the same 200
   services (from this bench's own process, three times, after the runs), its wall time against the sum of the tiers'
   longest RolloutResult.Duration; median of the three.
2. Peak working set of the pwsh process that ran Invoke-SkDeployment: a child process that imports the module and runs
   one deployment, nothing else. Its PeakWorkingSet64 (VmHWM on Linux) as it reads it before exiting, or this bench's
   samples of it every 100 ms while it runs, whichever is higher. Goal: under 300 MB.
3. Requests per service: every request the sandbox logged from the child's start to its end (GET /sandbox/requests),
   by kind, divided by 200. Prometheus's own scrapes of /metrics are shown but not counted; the watch's queries go to
   Prometheus, not to the sandbox, and are not in the log.
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'build', 'Sandbox.psm1')) -Force
Import-Module $env:SKDEPLOY_MODULE_PATH -Force

$Tiers = [ordered]@{ shared = 20; backend = 150; gateway = 20; frontend = 10 }
$RolloutStep = '1'                             # seconds per replica step: the sandbox's default, as in the other benches
$Monitor = '10s'
# The scenario starts on v1.2.2; the sandbox's registry has v1.2.2 to v1.2.5 and v1.3.0 for every service.
$Versions = '1.2.3', '1.2.4', '1.2.5'
$ReferenceVersions = '1.3.0', '1.2.2', '1.2.3'  # Start-SkRollout, after the runs: each one a change for every service
$SandboxThreads = '20'                          # DOTNET_ThreadPool_ForceMinWorkerThreads is read as hexadecimal: 32
$RunTimeout = [TimeSpan]::FromMinutes(10)

# The Release build of the sandbox, as the Bench task builds it; SKDEPLOY_SANDBOX_DLL names another.
$sandboxDll = if ($env:SKDEPLOY_SANDBOX_DLL) { $env:SKDEPLOY_SANDBOX_DLL } else {
    [IO.Path]::Combine($PSScriptRoot, '..', 'src', 'Skillancer.Deploy.Sandbox', 'bin', 'Release', 'net10.0', 'Skillancer.Deploy.Sandbox.dll') }

# The deployment, in a pwsh of its own: the module, one run, and the figures it reports about itself.
$RunnerScript = @'
param([string] $ModulePath, [string] $ConfigPath, [string] $Version, [string] $Monitor, [string] $ResultPath)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
$run = $null
$failure = $null
try {
    # Through the pipeline, so that a failed run's DeploymentRun is kept before its DeploymentFailed error is thrown.
    Invoke-SkDeployment staging $Version -MonitorDuration $Monitor -AcceptPreflightWarnings -ConfigPath $ConfigPath -WarningAction SilentlyContinue |
        ForEach-Object { $run = $_ }
}
catch { $failure = "$_" }
$self = [Diagnostics.Process]::GetCurrentProcess()
$self.Refresh()
[pscustomobject]@{
    Status         = if ($run) { "$($run.Status)" } else { 'None' }
    Failure        = $failure
    DurationMs     = if ($run) { $run.Duration.TotalMilliseconds } else { 0 }
    Steps          = @(if ($run) { $run.Steps | ForEach-Object { [pscustomobject]@{ Name = $_.Name; Status = "$($_.Status)"; Ms = $_.Duration.TotalMilliseconds; Detail = $_.Detail } } })
    PeakWorkingSet = $self.PeakWorkingSet64
    CpuMs          = $self.TotalProcessorTime.TotalMilliseconds
} | ConvertTo-Json -Depth 4 | Set-Content -Path $ResultPath
'@

function Get-RequestKind([pscustomobject] $Request) {
    # What a logged request was, for the per-kind counts: the Kubernetes verb and resource, the registry, a health check...
    $path = $Request.path
    if ($path -eq '/metrics') { return 'Prometheus scrape of /metrics (not counted)' }
    if ($path -like '/api/v3/*') { return 'CI (GitHub API)' }
    if ($path -match '^/apis?(/|$)') {
        $segments = @($path.Trim('/').Split('/'))
        $rest = @($segments | Select-Object -Skip $(if ($segments[0] -eq 'api') { 2 } else { 3 }))
        if ($rest.Count -ge 3 -and $rest[0] -eq 'namespaces') { $rest = @($rest | Select-Object -Skip 2) }
        if ($rest.Count -eq 0) { return "Kubernetes $($Request.method) (discovery)" }
        $verb = if ($Request.method -ne 'GET') { $Request.method } elseif ($Request.query -match '(^|[?&])watch=(true|1)') { 'WATCH' } elseif ($rest.Count -eq 1) { 'LIST' } else { 'GET' }
        return "Kubernetes $verb $($rest[0])"
    }
    if ($path -match '^/v2/') { return "registry $($Request.method) manifest" }
    if ($path -like '/registry/token*') { return 'registry token' }
    if ($path -match '^/svc/[^/]+/[^/]+/(api/)?health$') { return 'health check' }
    if ($path -match '^/svc/[^/]+/web/') { return 'smoke check (web app)' }
    if ($path -match '^/svc/[^/]+/internal/feature-flags') { return 'feature flags' }
    if ($path -like '/hooks/*') { return 'notification webhook' }
    if ($path -like '/pagerduty/*') { return 'on-call (PagerDuty)' }
    if ($path -like '/2020-05-31/*') { return "CDN (CloudFront) $($Request.method)" }
    return "other $($Request.method) /$(($path.Trim('/').Split('/') | Select-Object -First 2) -join '/')"
}

function Get-LoggedRequests([string] $BaseUrl, [long] $Since) {
    # (The JSON array comes back as one object; the pipeline unrolls it, an empty one to nothing.)
    @(Invoke-RestMethod -Uri "${BaseUrl}sandbox/requests?since=$Since" | ForEach-Object { $_ })
}

function Invoke-ScaleRun([string] $Version) {
    # One deployment in a child pwsh, sampled while it runs; then the sandbox's log of it and its rollouts.
    $resultPath = Join-Path $work "run-$Version.json"
    $since = [long](@(Get-LoggedRequests $baseUrl 0 | ForEach-Object sequence) + 0 | Measure-Object -Maximum).Maximum
    $executable, $prefix = Get-PwshCommandLine
    $start = [Diagnostics.ProcessStartInfo]::new($executable)
    foreach ($argument in @($prefix) + @('-NoProfile', '-NonInteractive', '-File', $runner, '-ModulePath', $env:SKDEPLOY_MODULE_PATH,
            '-ConfigPath', $config, '-Version', $Version, '-Monitor', $Monitor, '-ResultPath', $resultPath) | Where-Object { $_ }) { $start.ArgumentList.Add($argument) }
    $start.UseShellExecute = $false
    $clock = [Diagnostics.Stopwatch]::StartNew()   # for the run's timeout
    $scale.Process.Refresh()
    $sandboxCpu = $scale.Process.TotalProcessorTime
    $script:child = [Diagnostics.Process]::Start($start)
    $sampled = 0L
    while (-not $child.WaitForExit(100)) {
        if ($clock.Elapsed -gt $RunTimeout) { throw "The deployment of $Version did not end within $RunTimeout." }
        try { $child.Refresh(); $sampled = [Math]::Max($sampled, [Math]::Max($child.PeakWorkingSet64, $child.WorkingSet64)) } catch [InvalidOperationException] { }
    }
    $child.WaitForExit()
    $scale.Process.Refresh()
    $sandboxCpu = $scale.Process.TotalProcessorTime - $sandboxCpu
    $exit = $child.ExitCode
    $child.Dispose()
    $script:child = $null
    if ($exit -ne 0 -or -not (Test-Path $resultPath)) { throw "The deployment's pwsh exited with code $exit and wrote no result." }
    $result = Get-Content -Raw $resultPath | ConvertFrom-Json
    if ($result.Status -ne 'Succeeded') {
        foreach ($step in $result.Steps) { Write-Host ('  {0,-28} {1,-9} {2,8:N0} ms  {3}' -f $step.Name, $step.Status, $step.Ms, $step.Detail) }
        throw "The deployment of $Version ended $($result.Status): $($result.Failure)"
    }

    # The sandbox logs a request when it ends, a watch the child dropped when it notices: read until the log stops growing.
    $requests = Get-LoggedRequests $baseUrl $since
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    do {
        $before = @($requests | Where-Object path -ne '/metrics').Count
        Start-Sleep -Milliseconds 250   # the poll's interval, within the deadline
        $requests = Get-LoggedRequests $baseUrl $since
    } while (@($requests | Where-Object path -ne '/metrics').Count -ne $before -and [DateTime]::UtcNow -lt $deadline)
    if ($requests.Count -and $requests[0].sequence -ne $since + 1) {
        Write-Warning "The sandbox's request log dropped $($requests[0].sequence - $since - 1) requests of the run (it keeps 20000): the counts are short."
    }

    # Each service's rollout by the sandbox's clock: PATCH served -> rollout marked complete.
    $patched = @{}
    foreach ($request in $requests) {
        if ($request.method -ne 'PATCH' -or $request.path -notmatch '^/apis/apps/v1/namespaces/staging/deployments/([^/]+)$') { continue }
        if ($patched.ContainsKey($Matches[1])) { throw "Deployment $($Matches[1]) was patched more than once in the run of $Version." }
        $patched[$Matches[1]] = [DateTimeOffset]$request.time
    }
    if ($patched.Count -ne $count) { throw "The run of $Version patched $($patched.Count) deployments, not $count." }
    $completed = @{}
    foreach ($entry in Invoke-RestMethod -Uri "${baseUrl}sandbox/kubernetes/rollouts" | ForEach-Object { $_ } | Where-Object namespace -eq 'staging') {
        $completed[$entry.deployment] = [DateTimeOffset]$entry.completedAt
    }
    $byTier = foreach ($tier in $Tiers.Keys) {
        $rollouts = @($patched.Keys | Where-Object { $tierOf[$_] -eq $tier } | ForEach-Object {
                if (-not $completed.ContainsKey($_) -or $completed[$_] -le $patched[$_]) { throw "The sandbox has no completion of deployment $_ after its PATCH." }
                [pscustomobject]@{ Deployment = $_; Patched = $patched[$_]; Completed = $completed[$_]; Ms = ($completed[$_] - $patched[$_]).TotalMilliseconds }
            })
        $times = @($rollouts.Patched | Sort-Object)
        [pscustomobject]@{
            Tier          = $tier
            Services      = $rollouts.Count
            LongestGapMs  = (@(for ($i = 1; $i -lt $times.Count; $i++) { ($times[$i] - $times[$i - 1]).TotalMilliseconds }) + 0 | Measure-Object -Maximum).Maximum
            FirstPatch    = $rollouts.Patched | Sort-Object | Select-Object -First 1
            LastPatch     = $rollouts.Patched | Sort-Object | Select-Object -Last 1
            LastCompleted = $rollouts.Completed | Sort-Object | Select-Object -Last 1
            SlowestMs     = ($rollouts.Ms | Measure-Object -Maximum).Maximum
        }
    }
    $counted = @($requests | Where-Object path -ne '/metrics')
    [pscustomobject]@{
        Version   = $Version
        Result    = $result
        RolloutMs = ($result.Steps | Where-Object Name -eq 'Rollout').Ms
        SumMs     = ($byTier.SlowestMs | Measure-Object -Sum).Sum
        Tiers     = $byTier
        PeakBytes = [Math]::Max([long]$result.PeakWorkingSet, $sampled)
        OwnPeak   = [long]$result.PeakWorkingSet
        Sampled   = $sampled
        Requests  = $requests
        Counted   = $counted.Count
        CpuMs     = [double]$result.CpuMs
        SandboxCpuMs = $sandboxCpu.TotalMilliseconds
    }
}

function Write-TierBreakdown([pscustomobject] $Run) {
    # Where a run's Rollout step went, by the sandbox's clock: each tier's PATCHes, its slowest rollout, the hand-off to the next.
    $tiers = @($Run.Tiers)
    $inTiers = 0.0
    for ($i = 0; $i -lt $tiers.Count; $i++) {
        $tier = $tiers[$i]
        $span = ($tier.LastCompleted - $tier.FirstPatch).TotalMilliseconds
        $inTiers += $span
        $next = if ($i + 1 -lt $tiers.Count) { '; {0:N0} ms to the next tier''s first PATCH' -f ($tiers[$i + 1].FirstPatch - $tier.LastCompleted).TotalMilliseconds } else { '' }
        Write-Host ('  {0,-9} {1,4} services: PATCHes over {2,5:N0} ms (longest gap {3,4:N0} ms), slowest rollout {4,5:N0} ms, first PATCH -> last complete {5,5:N0} ms{6}' -f
            $tier.Tier, $tier.Services, ($tier.LastPatch - $tier.FirstPatch).TotalMilliseconds, $tier.LongestGapMs, $tier.SlowestMs, $span, $next)
    }
    Write-Host ('  the Rollout step outside the tiers (reads before the first PATCH, hand-offs, detection after the last): {0:N0} ms' -f ($Run.RolloutMs - $inTiers))
    Write-Host ('  CPU time over the run: the deploying pwsh {0:N0} ms, the scale sandbox {1:N0} ms ({2} cores)' -f $Run.CpuMs, $Run.SandboxCpuMs, [Environment]::ProcessorCount)
}

$work = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-bench-scale-$PID"
New-Item -ItemType Directory -Path $work -Force | Out-Null
$runner = Join-Path $work 'Run-Deployment.ps1'
Set-Content -Path $runner -Value $RunnerScript
$scale = $null
$child = $null
$done = $false
try {
    $scenario = New-ScaleScenario -Path (Join-Path $work 'scenario.yml') -TemplateConfig $env:SKDEPLOY_SANDBOX_CONFIG -Tiers $Tiers
    $count = $scenario.Services.Count
    # The sandbox inherits this process's environment: the thread setting is there only while it starts.
    [Environment]::SetEnvironmentVariable('DOTNET_ThreadPool_ForceMinWorkerThreads', $SandboxThreads)
    try {
        $scale = Start-Sandbox -SandboxDll $sandboxDll -OutputDirectory (Join-Path $work 'sandbox') -ArgumentList @(
            '--no-postgres', '--scenario', $scenario.Path, '--rollout-step', $RolloutStep)
    }
    finally { [Environment]::SetEnvironmentVariable('DOTNET_ThreadPool_ForceMinWorkerThreads', $null) }
    $baseUrl = $scale.Info.baseUrl
    $config = $scale.ConfigPath
    # Its tokens and webhooks, in this process and so in the children's.
    foreach ($variable in @($scale.Info.environment.PSObject.Properties)) { [Environment]::SetEnvironmentVariable($variable.Name, $variable.Value) }
    if (-not $scale.Info.prometheus) { Write-Warning 'Prometheus is not installed: the runs have no error-rate watch and no Alerts item.' }
    $environment = Get-SkEnvironment staging -ConfigPath $config
    if ($environment.Services.Count -ne $count) { throw "The scale sandbox's staging has $($environment.Services.Count) services, not $count." }
    $tierOf = @{}
    foreach ($service in $environment.Services) { $tierOf[$service.Deployment] = "$($service.Tier)".ToLowerInvariant() }
    Wait-SkRollout staging -ConfigPath $config -Timeout 60s | Out-Null

    $shape = "$count services ($(($Tiers.Keys | ForEach-Object { "$($Tiers[$_]) $_" }) -join ', ')), $RolloutStep s rollout step, $Monitor watch"
    $runs = @(foreach ($version in $Versions) {
            $run = Invoke-ScaleRun $version
            Write-Host ('run {0}: {1} in {2:N0} ms; Rollout {3:N0} ms / tier maxima {4:N0} ms = {5:N3}; peak working set {6:N1} MB; {7:N0} requests ({8:N2} per service)' -f
                $version, $run.Result.Status, $run.Result.DurationMs, $run.RolloutMs, $run.SumMs, ($run.RolloutMs / $run.SumMs), ($run.PeakBytes / 1MB), $run.Counted, ($run.Counted / $count))
            Write-TierBreakdown $run
            $run
        })
    $last = $runs[-1]

    Write-Host "Invoke-SkDeployment staging, $shape (median of $($runs.Count) runs):"
    Write-Host ('{0,-66} {1,8:N0} ms' -f 'Rollout step (wall)', (Get-Median $runs.RolloutMs))
    Write-Host ('{0,-66} {1,8:N0} ms' -f 'sum of the tier maxima (sandbox: PATCH -> rollout complete)', (Get-Median $runs.SumMs))
    Write-Host ('{0,-66} {1,8:N3}' -f 'ratio (Rollout step / sum of the tier maxima)', (Get-Median ($runs | ForEach-Object { $_.RolloutMs / $_.SumMs })))
    Write-Host 'goal: 1.10 or less'
    Write-Host ('{0,-66} {1,8:N1} MB  (highest {2:N1} MB)' -f 'peak working set of the pwsh that ran it', ((Get-Median $runs.PeakBytes) / 1MB), (($runs.PeakBytes | Measure-Object -Maximum).Maximum / 1MB))
    Write-Host 'goal: under 300 MB'
    Write-Host ('{0,-66} {1,8:N2}  ({2:N0} requests)' -f 'requests to the sandbox per service', ((Get-Median $runs.Counted) / $count), (Get-Median $runs.Counted))

    Write-Host "the last run ($($last.Version)), step by step:"
    foreach ($step in $last.Result.Steps) {
        Write-Host ('  {0,-28} {1,-9} {2,8:N0} ms  {3}' -f $step.Name, $step.Status, $step.Ms, $(if ($step.Detail.Length -gt 100) { $step.Detail.Substring(0, 100) + '...' } else { $step.Detail }))
    }
    Write-Host ('its peak working set: {0:N1} MB as the child read it, {1:N1} MB sampled' -f ($last.OwnPeak / 1MB), ($last.Sampled / 1MB))
    Write-Host 'its requests, by kind:'
    foreach ($kind in $last.Requests | Group-Object { Get-RequestKind $_ } | Sort-Object Count, Name -Descending) {
        Write-Host ('  {0,-50} {1,6:N0}  ({2:N2} per service)' -f $kind.Name, $kind.Count, ($kind.Count / $count))
    }
    foreach ($group in @($last.Requests | Where-Object status -ge 400 | Group-Object { "$($_.status) $(Get-RequestKind $_)" })) {
        Write-Host ('  of which answered {0,-41} {1,6:N0}  (e.g. {2} {3})' -f $group.Name, $group.Count, $group.Group[0].method, $group.Group[0].path)
    }

    # The second reference: Start-SkRollout of the same services, timed as bench/Rollout.ps1 times it.
    $references = foreach ($version in $ReferenceVersions) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $results = @(Start-SkRollout staging $version -ConfigPath $config 3>$null)
        $clock.Stop()
        $unfinished = @($results | Where-Object Status -ne 'Complete')
        if ($unfinished.Count) { throw "The reference rollout of $version did not complete: $(@($unfinished | Select-Object -First 3 | ForEach-Object { "$($_.Service) $($_.Status): $($_.Message)" }) -join '; ')" }
        $maxima = $results | Group-Object { $tierOf[$_.Deployment] } | ForEach-Object { ($_.Group.Duration | Measure-Object TotalMilliseconds -Maximum).Maximum }
        $sum = ($maxima | Measure-Object -Sum).Sum
        Write-Host ('reference run {0}: Start-SkRollout {1:N0} ms; sum of the tiers'' longest RolloutResult.Duration {2:N0} ms; ratio {3:N3}' -f
            $version, $clock.Elapsed.TotalMilliseconds, $sum, ($clock.Elapsed.TotalMilliseconds / $sum))
        [pscustomobject]@{ WallMs = $clock.Elapsed.TotalMilliseconds; SumMs = $sum; Ratio = $clock.Elapsed.TotalMilliseconds / $sum }
    }
    Write-Host ('{0,-66} {1,8:N0} ms' -f "reference: Start-SkRollout, the same $count services (wall, median of $(@($references).Count))", (Get-Median $references.WallMs))
    Write-Host ('{0,-66} {1,8:N0} ms' -f '  sum of the tiers'' longest RolloutResult.Duration (median)', (Get-Median $references.SumMs))
    Write-Host ('{0,-66} {1,8:N3}' -f '  ratio (wall / sum), as bench/Rollout.ps1 measures it (median)', (Get-Median $references.Ratio))
    $done = $true
}
finally {
    if ($child) {
        if (-not $child.HasExited) { $child.Kill($true); $null = $child.WaitForExit(5000) }
        $child.Dispose()
    }
    Stop-Sandbox $scale
    if ($done) { Remove-Item $work -Recurse -Force -ErrorAction Ignore }
    else { Write-Host "The scale sandbox's files and logs are kept in $work." }
}
