<#
.SYNOPSIS
Migration speed, side by side on the sandbox's PostgreSQL:
- 500 one-statement migrations applied by Invoke-SkMigration, against psql -f over the same files
  (one psql session for all of them, and one psql process per file, as a shell loop would), and
  against one psql session that also does Prisma's bookkeeping (insert the row, run the script in
  a transaction, mark it finished) — the floor for any Prisma-compatible migrator;
- Get-SkMigrationStatus over 1,000 applied migrations, against reading _prisma_migrations with psql.
Goals: Invoke-SkMigration within 1.2x of psql; the status under 300 ms.
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module $env:SKDEPLOY_MODULE_PATH -Force
$sandbox = Get-Content -Raw (Join-Path (Split-Path $env:SKDEPLOY_SANDBOX_CONFIG) 'sandbox.json') | ConvertFrom-Json
if (-not $sandbox.postgres) { Write-Host 'The sandbox has no PostgreSQL; skipping.'; return }
$server = @{}
foreach ($pair in $sandbox.postgres -split ';' | Where-Object { $_ }) { $key, $value = $pair -split '=', 2; $server[$key] = $value }

function New-Database {
    $name = 'bench_' + [Guid]::NewGuid().ToString('N').Substring(0, 8)
    & psql -h $server.Host -p $server.Port -U postgres -d postgres -qc "CREATE DATABASE $name" | Out-Null
    return $name
}
function ConvertTo-Secure([string] $Database) { ConvertTo-SecureString "postgresql://postgres@$($server.Host):$($server.Port)/$Database" -AsPlainText -Force }
function New-MigrationSet([int] $Count) {
    $folder = Join-Path ([IO.Path]::GetTempPath()) ("skdeploy-bench-migrations-" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
    foreach ($i in 1..$Count) {
        $directory = Join-Path $folder ('{0:D14}_step_{1}' -f (20260000000000 + $i), $i)
        New-Item -ItemType Directory -Path $directory -Force | Out-Null
        [IO.File]::WriteAllText((Join-Path $directory 'migration.sql'), "CREATE TABLE step_$i (id bigint PRIMARY KEY, note text);`n")
    }
    return $folder
}

$folder = New-MigrationSet 500
$files = @(Get-ChildItem $folder -Recurse -Filter migration.sql | Sort-Object FullName | ForEach-Object FullName)
try {
    # The same files with Prisma's bookkeeping around each, as one psql script.
    $bookkeeping = Join-Path $folder 'bookkeeping.sql'
    $ddl = 'CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0);'
    $script = [Text.StringBuilder]::new($ddl + "`n")
    foreach ($file in $files) {
        $id = [Guid]::NewGuid()
        $null = $script.Append("INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ('$id', '$('0' * 64)', now(), '$(Split-Path (Split-Path $file) -Leaf)');`nBEGIN;`n")
        $null = $script.Append([IO.File]::ReadAllText($file)).Append("UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE id = '$id';`nCOMMIT;`n")
    }
    [IO.File]::WriteAllText($bookkeeping, $script.ToString())
    $ours = @(); $psqlSession = @(); $psqlLoop = @(); $psqlBookkeeping = @()
    foreach ($run in 1..3) {
        $db = New-Database
        $secure = ConvertTo-Secure $db
        $ours += (Measure-Command { Invoke-SkMigration -ConnectionString $secure -Path $folder -Confirm:$false | Out-Null }).TotalMilliseconds
        $db = New-Database
        $arguments = @('-h', $server.Host, '-p', $server.Port, '-U', 'postgres', '-d', $db, '-q', '-v', 'ON_ERROR_STOP=1') + @($files | ForEach-Object { '-f', $_ })
        $psqlSession += (Measure-Command { & psql @arguments | Out-Null }).TotalMilliseconds
        $db = New-Database
        $psqlBookkeeping += (Measure-Command { & psql -h $server.Host -p $server.Port -U postgres -d $db -q -v ON_ERROR_STOP=1 -f $bookkeeping | Out-Null }).TotalMilliseconds
        if ($run -eq 1) {
            $db = New-Database
            $psqlLoop += (Measure-Command { foreach ($file in $files) { & psql -h $server.Host -p $server.Port -U postgres -d $db -q -v ON_ERROR_STOP=1 -f $file | Out-Null } }).TotalMilliseconds
        }
    }
    $oursMs = ($ours | Sort-Object)[1]; $sessionMs = ($psqlSession | Sort-Object)[1]; $bookkeepingMs = ($psqlBookkeeping | Sort-Object)[1]
    Write-Host ('{0,-60} {1,8:N0} ms' -f 'Invoke-SkMigration, 500 migrations (median of 3)', $oursMs)
    Write-Host ('{0,-60} {1,8:N0} ms' -f 'psql -f x500 in one session (median of 3)', $sessionMs)
    Write-Host ('{0,-60} {1,8:N0} ms' -f 'psql -f per file, 500 processes (1 run)', $psqlLoop[0])
    Write-Host ('{0,-60} {1,8:N0} ms' -f 'psql, one session, with Prisma bookkeeping (median of 3)', $bookkeepingMs)
    Write-Host ('{0,-60} {1,8:N2}x' -f 'ratio Invoke-SkMigration / psql one session', ($oursMs / $sessionMs))
    Write-Host ('{0,-60} {1,8:N2}x' -f 'ratio Invoke-SkMigration / psql per file', ($oursMs / $psqlLoop[0]))
    Write-Host ('{0,-60} {1,8:N2}x' -f 'ratio Invoke-SkMigration / psql with the same bookkeeping', ($oursMs / $bookkeepingMs))
    Write-Host 'goal: within 1.2x of psql'
}
finally { Remove-Item -Recurse -Force $folder -ErrorAction Ignore }

$folder = New-MigrationSet 1000
try {
    $db = New-Database
    $secure = ConvertTo-Secure $db
    Invoke-SkMigration -ConnectionString $secure -Path $folder -Confirm:$false | Out-Null
    $null = Get-SkMigrationStatus -ConnectionString $secure -Path $folder   # warm-up
    $status = Measure-Median -Runs 7 { Get-SkMigrationStatus -ConnectionString $secure -Path $folder }
    $summary = Measure-Median -Runs 7 { Get-SkMigrationStatus -ConnectionString $secure -Path $folder -Summary }
    $psqlRead = Measure-Median -Runs 7 { & psql -h $server.Host -p $server.Port -U postgres -d $db -qAt -c 'SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY started_at' }
    Write-Host ('{0,-60} {1,8:N0} ms' -f 'Get-SkMigrationStatus, 1,000 applied (median of 7)', $status)
    Write-Host ('{0,-60} {1,8:N0} ms' -f 'Get-SkMigrationStatus -Summary, 1,000 applied (median of 7)', $summary)
    Write-Host ('{0,-60} {1,8:N0} ms' -f 'psql reading _prisma_migrations alone (median of 7)', $psqlRead)
    Write-Host 'goal: Get-SkMigrationStatus under 300 ms'
}
finally { Remove-Item -Recurse -Force $folder -ErrorAction Ignore }
