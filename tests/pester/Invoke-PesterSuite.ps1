<#
.SYNOPSIS
Runs every *.Tests.ps1 here with the Pester that build.ps1 restored from NuGet, writing JUnit XML.
build.ps1 starts this in a child pwsh, so the suite never shares a session with the build.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ResultFile,
    # Only these files, comma-separated (Cdn,Rollout.Tests.ps1); every *.Tests.ps1 when empty.
    [string] $Name
)
$ErrorActionPreference = 'Stop'
# Failure messages go into XML, which cannot hold terminal colour codes.
$PSStyle.OutputRendering = 'PlainText'
Import-Module $PesterPath -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = if ($Name) {
    @($Name -split ',' | ForEach-Object { Join-Path $PSScriptRoot ($(if ($_ -like '*.Tests.ps1') { $_ } else { "$_.Tests.ps1" })) })
} else { $PSScriptRoot }
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'JUnitXml'
$configuration.TestResult.OutputPath = $ResultFile
$result = Invoke-Pester -Configuration $configuration
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
exit $(if ($failed -gt 0 -or $result.PassedCount -eq 0) { 1 } else { 0 })
