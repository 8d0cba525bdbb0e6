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

function New-ScaleScenario {
    <#
    Writes a scenario for a sandbox of its own (Skillancer.Deploy.Sandbox --scenario <path>): one environment, staging,
    whose services fill the four tiers as -Tiers says (200 by default: 20 shared, 150 backend, 20 gateway, 10
    frontend). The runbook's five services come first, as the running sandbox's configuration (-TemplateConfig)
    defines them, so that the smoke checks (web, auth-svc, market-svc, skillpod-svc) and the ApiGatewayDown alert
    still find theirs; generated ones (shared-001, backend-004, ...) fill each tier up. Each service gets the
    scenario's image rules (every published version is in the sandbox's registry) and a health path; the sandbox
    serves /svc/staging/<service>/health for all of them. Needs the module imported (Get-SkEnvironment reads the
    template). Returns the path and the services, each with its name and tier.
    #>
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $TemplateConfig,
        [Collections.Specialized.OrderedDictionary] $Tiers = ([ordered]@{ shared = 20; backend = 150; gateway = 20; frontend = 10 })
    )
    $template = Get-SkEnvironment staging -ConfigPath $TemplateConfig
    $services = [Collections.Generic.List[pscustomobject]]::new()
    foreach ($tier in $Tiers.Keys) {
        $own = @($template.Services | Where-Object { "$($_.Tier)" -eq $tier })
        if ($own.Count -gt $Tiers[$tier]) { throw "The $tier tier cannot hold $($Tiers[$tier]) services: the runbook's own are $($own.Count)." }
        foreach ($service in $own) {
            $services.Add([pscustomobject]@{ Name = $service.Name; Tier = $tier; HealthPath = $(if ($service.Health) { $service.Health.AbsolutePath -replace "^/svc/staging/$([regex]::Escape($service.Name))", '' } else { '/health' }); Canary = $service.Canary })
        }
        for ($i = $own.Count + 1; $i -le $Tiers[$tier]; $i++) {
            $services.Add([pscustomobject]@{ Name = ('{0}-{1:D3}' -f $tier, $i); Tier = $tier; HealthPath = '/health'; Canary = $null })
        }
    }

    $yaml = [Text.StringBuilder]::new()
    $null = $yaml.AppendLine("# A sandbox scenario: staging with $($services.Count) services in four tiers ($(($Tiers.Keys | ForEach-Object { "$($Tiers[$_]) $_" }) -join ', ')).")
    $null = $yaml.AppendLine('# Only the environments, namespaces and services count: the sandbox writes its own skdeploy.yml around them.')
    $null = $yaml.AppendLine('defaults:').AppendLine("  registry: $($template.Registry)")
    $null = $yaml.AppendLine('environments:').AppendLine('  staging:').AppendLine('    requireApproval: false')
    $null = $yaml.AppendLine('    kubernetes:').AppendLine('      namespace: staging').AppendLine('    services:')
    foreach ($service in $services) {
        $null = $yaml.AppendLine("      - name: $($service.Name)").AppendLine("        tier: $($service.Tier)")
        # Only the path is read: the sandbox serves every service's health under its own address.
        $null = $yaml.AppendLine("        health: http://sandbox.invalid$($service.HealthPath)")
        if ($service.Canary) {
            $null = $yaml.AppendLine('        canary:').AppendLine("          virtualService: $($service.Canary.VirtualService)")
            $null = $yaml.AppendLine("          stableSubset: $($service.Canary.StableSubset)").AppendLine("          canarySubset: $($service.Canary.CanarySubset)")
        }
    }

    [IO.File]::WriteAllText($Path, $yaml.ToString())
    [pscustomobject]@{ Path = $Path; Services = $services.ToArray() }
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

Export-ModuleMember -Function Get-Median, Get-BenchSandbox, New-SandboxCopy, New-ScaleScenario, Measure-Median, Get-PwshCommandLine, Write-BenchResult
