<#
.SYNOPSIS
Test-SkHealth on 50 endpoints that each answer after 200 ms, against a sequential
Invoke-WebRequest loop over the same endpoints. Goal: under 0.6 s in total.
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module $env:SKDEPLOY_MODULE_PATH -Force
$sandbox = Get-Content -Raw (Join-Path (Split-Path $env:SKDEPLOY_SANDBOX_CONFIG) 'sandbox.json') | ConvertFrom-Json
$count = 50
$services = foreach ($i in 1..$count) {
    $name = 'bench-{0:00}' -f $i
    Invoke-RestMethod -Method Put -Uri "$($sandbox.baseUrl)sandbox/health/bench/$name" -ContentType 'application/json' -Body '{"statusCode":200,"delayMs":200}' | Out-Null
    "      - { name: $name, tier: backend, health: '$($sandbox.baseUrl)svc/bench/$name/health' }"
}
$config = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-bench-$PID.yml"
Set-Content -Path $config -Value ("environments:`n  bench:`n    services:`n" + ($services -join "`n") + "`n")
$urls = (Get-SkEnvironment bench -ConfigPath $config).Services.Health
try {
    $null = Test-SkHealth bench -ConfigPath $config   # warm-up: JIT and connection pool
    $results = Test-SkHealth bench -ConfigPath $config
    if (@($results | Where-Object Healthy).Count -ne $count) { throw 'Not every bench endpoint was healthy.' }
    $ours = Measure-Median -Runs 7 { Test-SkHealth bench -ConfigPath $config }
    $reference = Measure-Median -Runs 3 { foreach ($url in $urls) { Invoke-WebRequest -Uri $url -TimeoutSec 10 | Out-Null } }
    Write-BenchResult -Name "Test-SkHealth, $count endpoints (median of 7)" -OursMs $ours `
        -ReferenceName "Invoke-WebRequest loop, $count endpoints (median of 3)" -ReferenceMs $reference -Goal 'Test-SkHealth under 600 ms'
}
finally {
    Remove-Item $config -ErrorAction Ignore
    Invoke-RestMethod -Method Delete -Uri "$($sandbox.baseUrl)sandbox/health" | Out-Null
}
