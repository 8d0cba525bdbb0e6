<#
.SYNOPSIS
Import-Module overhead: `pwsh -NoProfile -c 'Import-Module out/Skillancer.Deploy'` against
`pwsh -NoProfile -c 'exit'`, as medians of interleaved runs. Goal: under 150 ms of overhead.

.DESCRIPTION
Process start-up varies by tens of milliseconds from run to run, so the runs are interleaved and
the medians compared. The time Import-Module itself takes inside a fresh process, measured with a
stopwatch around it, is printed too: it carries far less noise, and it is what the overhead is made of.
Two references are measured the same way: an empty script module (the floor of any import) and a
one-cmdlet binary module with a manifest (the floor of any binary module imported by its manifest).
With $env:SKDEPLOY_BENCH_BASELINE set to an earlier build's module folder, that build is measured the
same way, interleaved with this one, to show whether a change made the import slower.
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
$runs = 21
$commandLine = @(Get-PwshCommandLine)
$exe = $commandLine[0]
$prefix = @($commandLine | Select-Object -Skip 1)
$module = $env:SKDEPLOY_MODULE_PATH
$baseline = $env:SKDEPLOY_BENCH_BASELINE
$empty = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-bench-empty-$PID"
New-Item -ItemType Directory -Path $empty -Force | Out-Null
Set-Content -Path (Join-Path $empty "$(Split-Path $empty -Leaf).psm1") -Value ''
$tiny = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-bench-tiny-$PID" 'Tiny'
New-Item -ItemType Directory -Path $tiny -Force | Out-Null
Add-Type -OutputAssembly (Join-Path $tiny 'Tiny.dll') -TypeDefinition @'
using System.Management.Automation;
[Cmdlet(VerbsCommon.Get, "Tiny")]
public sealed class GetTinyCommand : PSCmdlet { protected override void ProcessRecord() => WriteObject(1); }
'@
Set-Content -Path (Join-Path $tiny 'Tiny.psd1') -Value "@{ RootModule = 'Tiny.dll'; ModuleVersion = '1.0.0'; GUID = '$([Guid]::NewGuid())'; CmdletsToExport = @('Get-Tiny') }"

function Invoke-Pwsh([string] $Command) { & $exe @prefix -NoProfile -NonInteractive -c $Command }
$timed = '$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module ''{0}''; $w.Elapsed.TotalMilliseconds'
Invoke-Pwsh "Import-Module '$module'" | Out-Null   # warm the disk cache once
$bare = @(); $import = @(); $inside = @(); $emptyInside = @(); $tinyInside = @(); $baselineImport = @(); $baselineInside = @()
try {
    foreach ($i in 1..$runs) {
        $bare += (Measure-Command { Invoke-Pwsh 'exit' }).TotalMilliseconds
        $import += (Measure-Command { Invoke-Pwsh "Import-Module '$module'" }).TotalMilliseconds
        $inside += [double](Invoke-Pwsh ($timed -f $module))
        $emptyInside += [double](Invoke-Pwsh ($timed -f $empty))
        $tinyInside += [double](Invoke-Pwsh ($timed -f $tiny))
        if ($baseline) {
            $baselineImport += (Measure-Command { Invoke-Pwsh "Import-Module '$baseline'" }).TotalMilliseconds
            $baselineInside += [double](Invoke-Pwsh ($timed -f $baseline))
        }
    }
}
finally { Remove-Item -Recurse -Force $empty, (Split-Path $tiny) -ErrorAction Ignore }

$bareMs = Get-Median $bare; $importMs = Get-Median $import
Write-Host ('{0,-52} {1,8:N0} ms' -f "pwsh -c 'exit' (median of $runs)", $bareMs)
Write-Host ('{0,-52} {1,8:N0} ms' -f "pwsh -c 'Import-Module Skillancer.Deploy' (median)", $importMs)
Write-Host ('{0,-52} {1,8:N0} ms' -f 'Import-Module overhead (difference of medians)', ($importMs - $bareMs))
Write-Host ('{0,-52} {1,8:N0} ms' -f 'Import-Module, timed inside a fresh pwsh (median)', (Get-Median $inside))
Write-Host ('{0,-52} {1,8:N0} ms' -f '... an empty script module, the same way (median)', (Get-Median $emptyInside))
Write-Host ('{0,-52} {1,8:N0} ms' -f '... a one-cmdlet binary module + manifest (median)', (Get-Median $tinyInside))
if ($baseline) {
    Write-Host ('{0,-52} {1,8:N0} ms' -f 'baseline build: Import-Module overhead', ((Get-Median $baselineImport) - $bareMs))
    Write-Host ('{0,-52} {1,8:N0} ms' -f 'baseline build: timed inside a fresh pwsh (median)', (Get-Median $baselineInside))
}
Write-Host 'goal: Import-Module overhead under 150 ms'
