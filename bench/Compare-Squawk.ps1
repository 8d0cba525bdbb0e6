<#
.SYNOPSIS
Test-SkMigrationSafety side by side with squawk (npm squawk-cli, which runs offline) on the corpus in
tests/fixtures/migration-safety: per rule, the files both flag, only we flag, and only squawk flags.
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
Import-Module $env:SKDEPLOY_MODULE_PATH -Force
$corpus = Join-Path $PSScriptRoot '..' 'tests' 'fixtures' 'migration-safety' | Resolve-Path
$tools = Join-Path ([IO.Path]::GetTempPath()) 'skdeploy-bench-squawk'
if (-not (Test-Path (Join-Path $tools 'node_modules' '.bin' 'squawk'))) {
    New-Item -ItemType Directory -Path $tools -Force | Out-Null
    & npm install --prefix $tools --no-audit --no-fund squawk-cli@2 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { Write-Host 'squawk-cli could not be installed; skipping the comparison.'; return }
}

# Our rules and squawk's that mean the same thing.
$equivalent = [ordered]@{
    'drop-table'                    = @('ban-drop-table')
    'drop-column'                   = @('ban-drop-column')
    'rename'                        = @('renaming-column', 'renaming-table')
    'alter-column-type'             = @('changing-column-type')
    'add-required-column'           = @('adding-required-field')
    'set-not-null'                  = @('adding-not-nullable-field')
    'create-index-not-concurrently' = @('require-concurrent-index-creation')
    'constraint-not-valid'          = @('adding-foreign-key-constraint', 'constraint-missing-not-valid')
    'truncate'                      = @('ban-truncate-cascade')
    'delete-without-where'          = @()
    'update-without-where'          = @()
}

$files = Get-ChildItem $corpus -Filter *.sql | Sort-Object Name
$ours = @{}
foreach ($file in $files) { $ours[$file.Name] = @(Test-SkMigrationSafety -Path $file.FullName | ForEach-Object Rule | Select-Object -Unique) }
$squawkJson = & (Join-Path $tools 'node_modules' '.bin' 'squawk') --reporter json @($files.FullName) 2>$null
$squawk = @{}
foreach ($file in $files) { $squawk[$file.Name] = @() }
foreach ($finding in ($squawkJson | ConvertFrom-Json)) { $squawk[(Split-Path $finding.file -Leaf)] += $finding.rule_name }

Write-Host ("{0} files in the corpus" -f $files.Count)
Write-Host ('{0,-30} {1,5} {2,9} {3,11}  {4}' -f 'our rule', 'both', 'only ours', 'only squawk', 'squawk rules')
$agree = 0; $total = 0
foreach ($rule in $equivalent.Keys) {
    $theirs = $equivalent[$rule]
    $both = 0; $onlyOurs = 0; $onlyTheirs = 0
    foreach ($file in $files.Name) {
        $a = $ours[$file] -contains $rule
        $b = @($squawk[$file] | Where-Object { $theirs -contains $_ }).Count -gt 0
        if ($a -and $b) { $both++ } elseif ($a) { $onlyOurs++ } elseif ($b) { $onlyTheirs++ }
        if ($theirs.Count -gt 0) { $total++; if ($a -eq $b) { $agree++ } }
    }
    Write-Host ('{0,-30} {1,5} {2,9} {3,11}  {4}' -f $rule, $both, $onlyOurs, $onlyTheirs, ($(if ($theirs) { $theirs -join ', ' } else { '(none)' })))
}
Write-Host ('agreement on the rules both tools have: {0} of {1} file-rule pairs ({2:P0})' -f $agree, $total, ($agree / [Math]::Max(1, $total)))
$extra = $squawk.Values | ForEach-Object { $_ } | Where-Object { $_ -notin ($equivalent.Values | ForEach-Object { $_ }) } | Group-Object | Sort-Object Count -Descending
Write-Host ('squawk rules we do not have: ' + (($extra | ForEach-Object { "$($_.Name) ($($_.Count))" }) -join ', '))
