# The migration cmdlets against the sandbox's PostgreSQL: one fresh database per test, named in a
# test skdeploy.yml through an environment variable, with a copy of examples/prisma as its folders.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Sample = Join-Path $PSScriptRoot '..' '..' 'examples' 'prisma'

    function New-MigrationEnvironment {
        <# A fresh database, a copy of the sample migrations, and a config whose 'test' environment points at both. #>
        param([string] $Extra = '')
        $database = New-TestDatabase
        $root = Join-Path $TestDrive ([Guid]::NewGuid().ToString('N').Substring(0, 8))
        Copy-Item -Recurse $Sample $root
        $variable = 'SKDEPLOY_PESTER_DB_' + [Guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
        [Environment]::SetEnvironmentVariable($variable, $database.Url)
        $config = New-TestConfig -Yaml @"
environments:
  test:
    requireApproval: false
    enforceSchedule: false
    database:
      connectionStringEnv: $variable
      migrations: '$(Join-Path $root 'migrations')'
      rollbackScripts: '$(Join-Path $root 'rollback')'
      largeTables: [Job]
    services: []
$Extra
"@
        [pscustomobject]@{ Config = $config; Database = $database; Folder = (Join-Path $root 'migrations'); Variable = $variable }
    }

    function Add-Migration {
        <# A migration folder with its migration.sql, beside the sample's. #>
        param([Parameter(Mandatory)] $Setup, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Script)
        $folder = Join-Path $Setup.Folder $Name
        New-Item -ItemType Directory -Path $folder | Out-Null
        [IO.File]::WriteAllText((Join-Path $folder 'migration.sql'), $Script)
    }

    function Add-PrismaFailedRow {
        <#
        The row `prisma migrate deploy` leaves for a script PostgreSQL refused. Prisma cannot be installed here, so the
        row is written as its schema engine writes it (record_migration_started inserts id, checksum, started_at and the
        name; record_failed_step then sets logs, which gives the same row as this one INSERT), and the logs are its P3018
        text for PostgreSQL: the error, the Position excerpt in ANSI colours, tokio-postgres's DbError dump and the
        engine's tracing backtrace (see tests/Skillancer.Deploy.Engine.Tests/Infrastructure/PrismaFailureLogs.cs).
        #>
        param([Parameter(Mandatory)] $Setup, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Script, [Parameter(Mandatory)] [string] $Logs)
        $checksum = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Script))).ToLowerInvariant()
        $sql = "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, logs) VALUES ('$([Guid]::NewGuid())', '$checksum', now(), '$Name', " +
            '$prisma$' + $Logs + '$prisma$)'
        $null = Invoke-Psql -Database $Setup.Database -Sql $sql
    }

    $script:BackfillScript = "-- totals for the new report`n`nUPDATE `"Job`" SET budget = (SELECT sum(amount) FROM job_lines);`n"
    $script:PrismaLogs = @"
A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve

Migration name: 20261130000000_backfill

Database error code: 42P01

Database error:
ERROR: relation "job_lines" does not exist

Position:
`e[1m  0`e[0m
`e[1m  1`e[0m -- totals for the new report
`e[1m  2`e[0m
`e[1m  3`e[1;31m UPDATE "Job" SET budget = (SELECT sum(amount) FROM job_lines);`e[0m

DbError { severity: "ERROR", parsed_severity: Some(Error), code: SqlState(E42P01), message: "relation \"job_lines\" does not exist", detail: None, hint: None, position: Some(Original(82)), where_: None, schema: None, table: None, column: None, datatype: None, constraint: None, file: Some("parse_relation.c"), line: Some(1452), routine: Some("parserOpenTable") }

   0: sql_schema_connector::apply_migration::apply_script
           with migration_name="20261130000000_backfill"
             at schema-engine/connectors/sql-schema-connector/src/apply_migration.rs:113
   1: schema_commands::commands::apply_migrations::Applying migration
           with migration_name="20261130000000_backfill"
             at schema-engine/commands/src/commands/apply_migrations.rs:95
   2: schema_core::state::ApplyMigrations
             at schema-engine/core/src/state.rs:260
"@ -replace "`r`n", "`n"
}

Describe 'Get-SkMigrationStatus and Invoke-SkMigration' {
    It 'lists every migration Pending, applies them all, and then reports them Applied' {
        $setup = New-MigrationEnvironment
        $before = Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config
        $applied = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -WarningAction SilentlyContinue
        $after = Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config
        $before.State | Select-Object -Unique | Should -Be 'Pending'
        $applied.Name | Should -Be $before.Name
        ($applied | Where-Object Name -like '*job_search_index').InTransaction | Should -BeFalse
        $after.State | Select-Object -Unique | Should -Be 'Applied'
        (Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config -Summary).UpToDate | Should -BeTrue
        (Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config | Out-String -Width 200) | Should -Match "✅`u{FE0F} Applied"
    }

    It 'warns about the risks the safety check finds before it applies' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match 'Warning set-not-null in 20261125110000_require_job_budget'
        "$warnings" | Should -Match 'large-table'
    }

    It '-WhatIf lists the migrations and changes nothing' {
        $setup = New-MigrationEnvironment
        $run = Invoke-ChildPwsh -Script 'Import-Module $env:SKDEPLOY_MODULE_PATH; Invoke-SkMigration -Environment test -ConfigPath $env:CONFIG -WhatIf -WarningAction SilentlyContinue' -Environment @{
            SKDEPLOY_MODULE_PATH = $env:SKDEPLOY_MODULE_PATH; CONFIG = $setup.Config; ($setup.Variable) = $setup.Database.Url }
        $run.Output | Should -Match 'What if: Performing the operation "Apply migration 20261101090000_init \(5 statements, in a transaction\)"'
        $run.Output | Should -Match 'without a transaction: line 2: CREATE INDEX CONCURRENTLY'
        (Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config).State | Select-Object -Unique | Should -Be 'Pending'
        Invoke-Psql -Database $setup.Database -Sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" | Should -Be '0'
    }

    It '-DryRun reports what would happen and leaves no trace' {
        $setup = New-MigrationEnvironment
        $dry = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -To 20261105120000_add_proposals -DryRun -Force -WarningAction SilentlyContinue
        $dry.Name | Should -Be @('20261101090000_init', '20261105120000_add_proposals')
        $dry.DryRun | Select-Object -Unique | Should -BeTrue
        Invoke-Psql -Database $setup.Database -Sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" | Should -Be '0'
    }

    It 'takes the connection string from $env:DATABASE_URL and the folder from -Path, as Prisma does' {
        $setup = New-MigrationEnvironment
        $saved = $env:DATABASE_URL
        try {
            $env:DATABASE_URL = $setup.Database.Url
            (Get-SkMigrationStatus -Path $setup.Folder).Count | Should -Be 5
        }
        finally { $env:DATABASE_URL = $saved }
    }

    It 'a migration killed mid-run stays Failed and its work is rolled back' {
        $setup = New-MigrationEnvironment
        $slow = Join-Path $setup.Folder '20261130000000_slow'
        New-Item -ItemType Directory -Path $slow | Out-Null
        Set-Content -Path (Join-Path $slow 'migration.sql') -Value "CREATE TABLE killed_midway (id int);`nSELECT pg_sleep(120);"
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -To 20261125110000_require_job_budget -Force -WarningAction SilentlyContinue

        $child = Start-ChildPwsh -Script 'Import-Module $env:SKDEPLOY_MODULE_PATH; Invoke-SkMigration -Environment test -ConfigPath $env:CONFIG -Force' -Environment @{
            SKDEPLOY_MODULE_PATH = $env:SKDEPLOY_MODULE_PATH; CONFIG = $setup.Config; ($setup.Variable) = $setup.Database.Url }
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Invoke-Psql -Database $setup.Database -Sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()") -ne '1') {
                if ([DateTime]::UtcNow -gt $deadline) { throw 'The slow migration never started.' }
                Start-Sleep -Milliseconds 100
            }
        }
        finally {
            $child.Kill($true)
            $child.WaitForExit()
        }
        # The server ends the orphaned session, as it does when it notices the client is gone.
        $null = Invoke-Psql -Database $setup.Database -Sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()"

        (Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config | Where-Object Name -eq '20261130000000_slow').State | Should -Be 'Failed'
        Invoke-Psql -Database $setup.Database -Sql "SELECT count(*) FROM pg_tables WHERE tablename = 'killed_midway'" | Should -Be '0'
    }
}

Describe 'Set-SkMigrationState, Undo-SkMigration, Test-SkMigrationSafety and Get-SkDatabaseSchema' {
    It 'resolves a failed migration as rolled back, from the pipeline' {
        $setup = New-MigrationEnvironment
        $broken = Join-Path $setup.Folder '20261130000000_broken'
        New-Item -ItemType Directory -Path $broken | Out-Null
        Set-Content -Path (Join-Path $broken 'migration.sql') -Value 'SELECT no_such_column FROM "Job";'
        { Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -WarningAction SilentlyContinue -ErrorAction Stop } | Should -Throw -ErrorId 'MigrationFailed,*'
        $resolved = Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config | Where-Object State -eq 'Failed' |
            Set-SkMigrationState -RolledBack -Environment test -ConfigPath $setup.Config -Force
        $resolved.Name | Should -Be '20261130000000_broken'
        $resolved.State | Should -Be 'RolledBack'
    }

    It 'undoes the payment-status migration with its rollback script' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -WarningAction SilentlyContinue
        $undone = Undo-SkMigration -Name 20261120150000_add_payment_status -Environment test -ConfigPath $setup.Config -Force
        $undone.State | Should -Be 'RolledBack'
        (Get-SkDatabaseSchema -Environment test -ConfigPath $setup.Config -Table Proposal).Columns.Name | Should -Not -Contain 'paymentStatus'
    }

    It 'checks only what a deploy would run when piped from the status' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -To 20261120150000_add_payment_status -Force -WarningAction SilentlyContinue
        $findings = Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config | Test-SkMigrationSafety -Environment test -ConfigPath $setup.Config
        $findings.Rule | Sort-Object -Unique | Should -Be @('large-table', 'set-not-null')
        ($findings.File | Select-Object -Unique) | Should -BeLike '*20261125110000_require_job_budget*'
        ($findings | Out-String -Width 200) | Should -Match '(?s)Migration: 20261125110000_require_job_budget\s.*🔶 Warning\s+4:19\s+set-not-null'
    }

    It 'shows the schema after the deploy' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -WarningAction SilentlyContinue
        $tables = Get-SkDatabaseSchema -Environment test -ConfigPath $setup.Config
        $tables.Name | Should -Be @('Job', 'Proposal', 'User')
        ($tables | Where-Object Name -eq 'Job').Indexes.Name | Should -Contain 'Job_title_idx'
        ($tables | Out-String -Width 200) | Should -Match 'budget numeric\(10,2\) NOT NULL'
    }
}

Describe 'Failed migrations, recorded checksums and unknown tables' {
    It 'a migration Prisma failed blocks the next deploy with the database error and line; -Verbose has the full logs' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -WarningAction SilentlyContinue
        Add-Migration -Setup $setup -Name 20261130000000_backfill -Script $BackfillScript
        Add-PrismaFailedRow -Setup $setup -Name 20261130000000_backfill -Script $BackfillScript -Logs $PrismaLogs

        $verbose = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -Verbose -ErrorVariable failure -ErrorAction SilentlyContinue 4>&1
        $failure[0].FullyQualifiedErrorId | Should -Be 'FailedMigrationBlocks,Skillancer.Deploy.Migrations.InvokeSkMigrationCommand'
        "$failure" | Should -Match 'failed on \d{4}-\d\d-\d\d \d\d:\d\d UTC with database error 42P01 at line 3: ERROR: relation "job_lines" does not exist\. It blocks every later migration\.'
        "$failure" | Should -Not -Match 'schema-engine|DbError|state\.rs'
        ($verbose | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'at schema-engine/core/src/state\.rs:260'
        $status = Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config | Where-Object Name -eq 20261130000000_backfill
        $status.State | Should -Be 'Failed'
        $status.Error | Should -Be '42P01 at line 3: ERROR: relation "job_lines" does not exist'
        $status.Logs | Should -Be $PrismaLogs
    }

    It 'a migration Invoke-SkMigration failed blocks the next deploy with its database error and statement line' {
        $setup = New-MigrationEnvironment
        Add-Migration -Setup $setup -Name 20261130000000_broken -Script "SELECT 1;`nSELECT no_such_column FROM `"Job`";"
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be 'FailedMigrationBlocks,Skillancer.Deploy.Migrations.InvokeSkMigrationCommand'
        "$failure" | Should -Match 'with database error 42703 at line 2: ERROR: column "no_such_column" does not exist\.'
    }

    It 'Set-SkMigrationState -RolledBack reports the checksum recorded in the row and warns that the file changed since' {
        $setup = New-MigrationEnvironment
        $failedScript = 'SELECT no_such_column FROM "Job";'
        Add-Migration -Setup $setup -Name 20261130000000_broken -Script $failedScript
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        [IO.File]::WriteAllText((Join-Path $setup.Folder '20261130000000_broken' 'migration.sql'), 'SELECT 1;')

        $resolved = Set-SkMigrationState test 20261130000000_broken -RolledBack -ConfigPath $setup.Config -Force -WarningVariable warnings
        $recorded = Invoke-Psql -Database $setup.Database -Sql "SELECT checksum FROM _prisma_migrations WHERE migration_name = '20261130000000_broken'"
        $resolved.State | Should -Be 'RolledBack'
        $resolved.Checksum | Should -Be $recorded
        $resolved.FileChecksum | Should -Not -Be $recorded
        "$warnings" | Should -Match "has changed since the failed run \(recorded checksum $($recorded.Substring(0, 12)), file $($resolved.FileChecksum.Substring(0, 12))\)\. The next Invoke-SkMigration applies the file as it is now\."
    }

    It 'Set-SkMigrationState -RolledBack -WhatIf leaves the failed row as it is' {
        $setup = New-MigrationEnvironment
        Add-Migration -Setup $setup -Name 20261130000000_broken -Script 'SELECT no_such_column FROM "Job";'
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $result = Set-SkMigrationState test 20261130000000_broken -RolledBack -ConfigPath $setup.Config -WhatIf
        $result | Should -BeNullOrEmpty
        Invoke-Psql -Database $setup.Database -Sql "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20261130000000_broken' AND rolled_back_at IS NULL" | Should -Be '1'
    }

    It 'Get-SkDatabaseSchema -Table with an unknown name is TableNotFound for it alone; the known tables still come' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -WarningAction SilentlyContinue
        $tables = Get-SkDatabaseSchema test Job, Jobz, nope, 'Zz*' -ConfigPath $setup.Config -ErrorVariable failures -ErrorAction SilentlyContinue
        $tables.Name | Should -Be 'Job'
        $failures.Count | Should -Be 2
        $failures.FullyQualifiedErrorId | Select-Object -Unique | Should -Be 'TableNotFound,Skillancer.Deploy.Migrations.GetSkDatabaseSchemaCommand'
        $failures.TargetObject | Should -Be @('Jobz', 'nope')
        "$($failures[0])" | Should -Match "^There is no table 'Jobz' in postgres@.+/$($setup.Database.Name) \(schema public\)\. Did you mean 'Job'\? Its tables are: Job, Proposal, User\."
        "$($failures[1])" | Should -Not -Match 'Did you mean'
        { Get-SkDatabaseSchema test nope -ConfigPath $setup.Config -ErrorAction Stop } | Should -Throw -ErrorId 'TableNotFound,*'
    }
}

Describe 'Tab completion of migration names and tables' {
    BeforeAll {
        function Get-Completion([string] $Line) { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText) }
    }

    It 'Set-SkMigrationState -Name completes from the migrations folder of the environment typed' {
        $setup = New-MigrationEnvironment
        $errors = $Error.Count
        Get-Completion "Set-SkMigrationState -ConfigPath '$($setup.Config)' -Environment test -Name 2026112" |
            Should -Be @('20261120150000_add_payment_status', '20261125110000_require_job_budget')
        Get-Completion "Set-SkMigrationState test -ConfigPath '$($setup.Config)' -RolledBack -Name 2026110109" | Should -Be @('20261101090000_init')
        $Error.Count | Should -Be $errors
    }

    It 'Undo-SkMigration -Name completes from -Path by the words after the timestamp' {
        $setup = New-MigrationEnvironment
        $elsewhere = Join-Path $TestDrive ('other ' + [Guid]::NewGuid().ToString('N').Substring(0, 6))
        Copy-Item -Recurse $setup.Folder $elsewhere
        Remove-Item -Recurse (Join-Path $elsewhere '20261105120000_add_proposals')
        Get-Completion "Undo-SkMigration -ConfigPath '$($setup.Config)' -Environment test -Path '$elsewhere' -Name add_p" | Should -Be @('20261120150000_add_payment_status')
        Get-Completion "Undo-SkMigration -ConfigPath '$($setup.Config)' -Environment test -Name add_p" | Should -Be @('20261105120000_add_proposals', '20261120150000_add_payment_status')
    }

    It 'Invoke-SkMigration -To completes from ./prisma/migrations when no environment is typed' {
        $project = Join-Path $TestDrive ('project ' + [Guid]::NewGuid().ToString('N').Substring(0, 6))
        New-Item -ItemType Directory -Path (Join-Path $project 'prisma') | Out-Null
        Copy-Item -Recurse (Join-Path $Sample 'migrations') (Join-Path $project 'prisma' 'migrations')
        Push-Location $project
        try { Get-Completion 'Invoke-SkMigration -To require' | Should -Be @('20261125110000_require_job_budget') }
        finally { Pop-Location }
    }

    It 'an unknown environment or a missing folder completes nothing and shows no error' {
        $setup = New-MigrationEnvironment
        $errors = $Error.Count
        Get-Completion "Set-SkMigrationState -ConfigPath '$($setup.Config)' -Environment nope -Name 2026" | Should -BeNullOrEmpty
        Get-Completion "Undo-SkMigration -Path '$(Join-Path $TestDrive 'none')' -Name 2026" | Should -BeNullOrEmpty
        $Error.Count | Should -Be $errors
    }

    It 'Get-SkDatabaseSchema -Table completes from the database of the environment typed' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Force -WarningAction SilentlyContinue
        Get-Completion "Get-SkDatabaseSchema test -ConfigPath '$($setup.Config)' -Table P" | Should -Be @('Proposal')
        Get-Completion "Get-SkDatabaseSchema test -ConfigPath '$($setup.Config)' -Table " | Sort-Object | Should -Be @('Job', 'Proposal', 'User')
        Get-Completion "Get-SkDatabaseSchema test -ConfigPath '$($setup.Config)' -IncludeMigrationsTable -Table _" | Should -Be @('_prisma_migrations')
    }

    It 'Get-SkDatabaseSchema -Table completes nothing, and shows no error, when the database refuses the connection' {
        $config = New-TestConfig -Yaml "environments:`n  down:`n    database: { connectionStringEnv: SKDEPLOY_PESTER_DOWN_DB }`n    services: []`n"
        $env:SKDEPLOY_PESTER_DOWN_DB = 'postgresql://postgres:pw-never-shown@127.0.0.1:9/postgres'
        try {
            $errors = $Error.Count
            Get-Completion "Get-SkDatabaseSchema down -ConfigPath '$config' -Table " | Should -BeNullOrEmpty
            $Error.Count | Should -Be $errors
        }
        finally { Remove-Item Env:SKDEPLOY_PESTER_DOWN_DB }
    }

    It 'Get-SkDatabaseSchema -Table gives up on a server that never answers instead of hanging the prompt' {
        # A listener that completes the TCP handshake and then says nothing, like a server stuck before it answers the startup message.
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $out = Join-Path $TestDrive 'silent-server.txt'
        $script = 'Import-Module $env:SKDEPLOY_MODULE_PATH; $line = "Get-SkDatabaseSchema -Table "; ' +
            '$found = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches).Count; "$found $($Error.Count)" | Set-Content $env:OUT'
        $child = Start-ChildPwsh -Script $script -Environment @{
            SKDEPLOY_MODULE_PATH = $env:SKDEPLOY_MODULE_PATH; OUT = $out
            # Without the completer's own cap the driver would wait the full connect_timeout (300 s) here.
            DATABASE_URL = "postgresql://postgres@127.0.0.1:$($listener.LocalEndpoint.Port)/silent?connect_timeout=300" }
        try {
            $child.WaitForExit(120000) | Should -BeTrue -Because 'completion must not wait for a server that never answers'
            Get-Content $out | Should -Be '0 0'
            $listener.Pending() | Should -BeTrue -Because 'the completer did try the silent server'
        }
        finally {
            if (-not $child.HasExited) { $child.Kill($true) }
            $child.Dispose()
            $listener.Stop()
        }
    }
}

Describe 'Migration cmdlets bad input' {
    It 'an environment without a database section is DatabaseNotConfigured' {
        $config = New-TestConfig -Yaml "environments:`n  bare:`n    services: []`n"
        Get-FullyQualifiedErrorId { Get-SkMigrationStatus -Environment bare -ConfigPath $config } | Should -Be 'DatabaseNotConfigured,Skillancer.Deploy.Migrations.GetSkMigrationStatusCommand'
    }

    It 'an unset connection string variable is SecretNotSet and names it' {
        $config = New-TestConfig -Yaml "environments:`n  test:`n    database: { connectionStringEnv: SKDEPLOY_PESTER_NEVER_SET }`n    services: []`n"
        Get-FullyQualifiedErrorId { Invoke-SkMigration -Environment test -ConfigPath $config -Force } | Should -Be 'SecretNotSet,Skillancer.Deploy.Migrations.InvokeSkMigrationCommand'
    }

    It 'a garbled -ConnectionString is ConnectionStringInvalid and never echoed' {
        $secure = ConvertTo-SecureString 'Hoost=x;Pwd=very-secret-42' -AsPlainText -Force
        $null = Get-SkMigrationStatus -ConnectionString $secure -Path $TestDrive -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be 'ConnectionStringInvalid,Skillancer.Deploy.Migrations.GetSkMigrationStatusCommand'
        "$failure" | Should -Not -Match 'very-secret-42'
    }

    It 'an unreachable server is DatabaseUnreachable without the password' {
        $secure = ConvertTo-SecureString 'postgresql://postgres:pw-never-shown@127.0.0.1:9/postgres' -AsPlainText -Force
        $null = Get-SkDatabaseSchema -ConnectionString $secure -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be 'DatabaseUnreachable,Skillancer.Deploy.Migrations.GetSkDatabaseSchemaCommand'
        "$failure" | Should -Not -Match 'pw-never-shown'
    }

    It 'a missing migrations folder is MigrationsFolderNotFound' {
        $setup = New-MigrationEnvironment
        Get-FullyQualifiedErrorId { Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config -Path (Join-Path $TestDrive 'none') } |
            Should -Be 'MigrationsFolderNotFound,Skillancer.Deploy.Migrations.GetSkMigrationStatusCommand'
    }

    It 'marking an applied migration rolled back is MigrationNotFailed' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -To 20261101090000_init -Force
        Get-FullyQualifiedErrorId { Set-SkMigrationState -Name 20261101090000_init -RolledBack -Environment test -ConfigPath $setup.Config -Force } |
            Should -Be 'MigrationNotFailed,Skillancer.Deploy.Migrations.SetSkMigrationStateCommand'
    }

    It 'undoing without a rollback script is RollbackScriptNotFound' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -To 20261101090000_init -Force
        Get-FullyQualifiedErrorId { Undo-SkMigration -Name 20261101090000_init -Environment test -ConfigPath $setup.Config -Force } |
            Should -Be 'RollbackScriptNotFound,Skillancer.Deploy.Migrations.UndoSkMigrationCommand'
    }

    It 'a path that is neither file nor folder is SqlPathNotFound' {
        Get-FullyQualifiedErrorId { Test-SkMigrationSafety -Path (Join-Path $TestDrive 'nothing.sql') } | Should -Be 'SqlPathNotFound,Skillancer.Deploy.Migrations.TestSkMigrationSafetyCommand'
    }

    It 'a lock timeout that is not a duration is refused before anything runs' {
        { Invoke-SkMigration -LockTimeout soon -Path $TestDrive -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,*'
    }
}

Describe 'Migration objects carry their Environment and Database' {
    BeforeAll {
        function New-TwoDatabaseSetup {
            <# Two environments, staging and production, each with its own migrated database and a copy of the sample folders. #>
            $root = Join-Path $TestDrive ([Guid]::NewGuid().ToString('N').Substring(0, 8))
            Copy-Item -Recurse $Sample $root
            $setup = [ordered]@{}
            $yaml = "environments:`n"
            foreach ($name in 'staging', 'production') {
                $database = New-TestDatabase
                $variable = "SKDEPLOY_PESTER_$($name.ToUpperInvariant())_" + [Guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
                [Environment]::SetEnvironmentVariable($variable, $database.Url)
                $yaml += @"
  ${name}:
    requireApproval: false
    enforceSchedule: false
    database:
      connectionStringEnv: $variable
      migrations: '$(Join-Path $root 'migrations')'
      rollbackScripts: '$(Join-Path $root 'rollback')'
    services: []

"@
                $setup[$name] = $database
            }
            $setup.Config = New-TestConfig -Yaml $yaml
            foreach ($name in 'staging', 'production') {
                $null = Invoke-SkMigration $name -ConfigPath $setup.Config -Confirm:$false -WarningAction SilentlyContinue
            }
            [pscustomobject]$setup
        }

        function Get-PaymentStatusColumn {
            <# Whether the payment-status migration's column is still there: the undo leaves a mark nothing else does. #>
            param([Parameter(Mandatory)] $Database)
            Invoke-Psql -Database $Database -Sql "SELECT count(*) FROM information_schema.columns WHERE table_name = 'Proposal' AND column_name = 'paymentStatus'"
        }
    }

    It 'undoes on the database the status came from, even when $env:DATABASE_URL names another (the issue''s production case)' {
        $setup = New-TwoDatabaseSetup
        $saved = $env:DATABASE_URL
        try {
            $env:DATABASE_URL = $setup.production.Url
            & {
                $ErrorActionPreference = 'Stop'
                $status = Get-SkMigrationStatus staging -ConfigPath $setup.Config | Where-Object Name -like '*payment*'
                $status.Environment | Should -Be 'staging'
                $status.Database | Should -BeLike "*/$($setup.staging.Name) (schema public)"
                $script:undone = $status | Undo-SkMigration -ConfigPath $setup.Config -Confirm:$false
            }
        }
        finally { $env:DATABASE_URL = $saved }
        $undone.Environment | Should -Be 'staging'
        $undone.State | Should -Be 'RolledBack'
        Get-PaymentStatusColumn $setup.staging | Should -Be '0'
        Get-PaymentStatusColumn $setup.production | Should -Be '1'
    }

    It 'refuses a status from staging piped to -Environment production, and changes neither database' {
        $setup = New-TwoDatabaseSetup
        $id = Get-FullyQualifiedErrorId {
            Get-SkMigrationStatus staging -ConfigPath $setup.Config | Where-Object Name -like '*payment*' |
                Undo-SkMigration -Environment production -ConfigPath $setup.Config -Confirm:$false -ErrorAction Stop
        }
        $id | Should -BeLike 'TargetMismatch,*'
        $message = try {
            Get-SkMigrationStatus staging -ConfigPath $setup.Config | Where-Object Name -like '*payment*' |
                Set-SkMigrationState -Applied -Environment production -ConfigPath $setup.Config -Confirm:$false -ErrorAction Stop
        } catch { $_.Exception.Message }
        $message | Should -Match "environment 'staging'.*environment 'production'.*Leave out -Environment"
        Get-PaymentStatusColumn $setup.staging | Should -Be '1'
        Get-PaymentStatusColumn $setup.production | Should -Be '1'
    }

    It 'refuses a status read through $env:DATABASE_URL once the variable names another database' {
        $setup = New-TwoDatabaseSetup
        $saved = $env:DATABASE_URL
        try {
            $env:DATABASE_URL = $setup.staging.Url
            $folder = (Get-SkEnvironment staging -ConfigPath $setup.Config).Database.Migrations
            $status = Get-SkMigrationStatus -ConfigPath $setup.Config -Path $folder | Where-Object Name -like '*payment*'
            $status.Environment | Should -BeNullOrEmpty
            $env:DATABASE_URL = $setup.production.Url
            $id = Get-FullyQualifiedErrorId { $status | Undo-SkMigration -ConfigPath $setup.Config -Path $folder -Confirm:$false -ErrorAction Stop }
        }
        finally { $env:DATABASE_URL = $saved }
        $id | Should -BeLike 'TargetMismatch,*'
        Get-PaymentStatusColumn $setup.production | Should -Be '1'
    }

    It 'refuses an empty -Environment instead of falling back to $env:DATABASE_URL' {
        $setup = New-TwoDatabaseSetup
        $saved = $env:DATABASE_URL
        try {
            $env:DATABASE_URL = $setup.production.Url
            Get-FullyQualifiedErrorId { Undo-SkMigration -Environment '' -Name 20261120150000_add_payment_status -ConfigPath $setup.Config -Confirm:$false -ErrorAction Stop } |
                Should -BeLike 'EnvironmentNotFound,*'
        }
        finally { $env:DATABASE_URL = $saved }
        Get-PaymentStatusColumn $setup.production | Should -Be '1'
    }

    It 'puts the environment on the summary and on applied migrations' {
        $setup = New-TwoDatabaseSetup
        (Get-SkMigrationStatus production -ConfigPath $setup.Config -Summary).Environment | Should -Be 'production'
        $null = New-Item -ItemType Directory (Join-Path (Get-SkEnvironment staging -ConfigPath $setup.Config).Database.Migrations '20261201000000_later')
        Set-Content (Join-Path (Get-SkEnvironment staging -ConfigPath $setup.Config).Database.Migrations '20261201000000_later' 'migration.sql') 'SELECT 1;'
        $applied = Invoke-SkMigration staging -ConfigPath $setup.Config -Confirm:$false -WarningAction SilentlyContinue
        $applied.Environment | Should -Be 'staging'
    }
}
