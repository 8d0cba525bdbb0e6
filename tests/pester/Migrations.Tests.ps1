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
    requireApproval: true
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
}

Describe 'Get-SkMigrationStatus and Invoke-SkMigration' {
    It 'lists every migration Pending, applies them all, and then reports them Applied' {
        $setup = New-MigrationEnvironment
        $before = Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config
        $applied = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Confirm:$false -WarningAction SilentlyContinue
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
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
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
        $dry = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -To 20261105120000_add_proposals -DryRun -Confirm:$false -WarningAction SilentlyContinue
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
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -To 20261125110000_require_job_budget -Confirm:$false -WarningAction SilentlyContinue

        $child = Start-ChildPwsh -Script 'Import-Module $env:SKDEPLOY_MODULE_PATH; Invoke-SkMigration -Environment test -ConfigPath $env:CONFIG -Confirm:$false' -Environment @{
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
        { Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop } | Should -Throw -ErrorId 'MigrationFailed,*'
        $resolved = Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config | Where-Object State -eq 'Failed' |
            Set-SkMigrationState -RolledBack -Environment test -ConfigPath $setup.Config -Confirm:$false
        $resolved.Name | Should -Be '20261130000000_broken'
        $resolved.State | Should -Be 'RolledBack'
    }

    It 'undoes the payment-status migration with its rollback script' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Confirm:$false -WarningAction SilentlyContinue
        $undone = Undo-SkMigration -Name 20261120150000_add_payment_status -Environment test -ConfigPath $setup.Config -Confirm:$false
        $undone.State | Should -Be 'RolledBack'
        (Get-SkDatabaseSchema -Environment test -ConfigPath $setup.Config -Table Proposal).Columns.Name | Should -Not -Contain 'paymentStatus'
    }

    It 'checks only what a deploy would run when piped from the status' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -To 20261120150000_add_payment_status -Confirm:$false -WarningAction SilentlyContinue
        $findings = Get-SkMigrationStatus -Environment test -ConfigPath $setup.Config | Test-SkMigrationSafety -Environment test -ConfigPath $setup.Config
        $findings.Rule | Sort-Object -Unique | Should -Be @('large-table', 'set-not-null')
        ($findings.File | Select-Object -Unique) | Should -BeLike '*20261125110000_require_job_budget*'
        ($findings | Out-String -Width 200) | Should -Match '(?s)Migration: 20261125110000_require_job_budget\s.*🔶 Warning\s+4:19\s+set-not-null'
    }

    It 'shows the schema after the deploy' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -Confirm:$false -WarningAction SilentlyContinue
        $tables = Get-SkDatabaseSchema -Environment test -ConfigPath $setup.Config
        $tables.Name | Should -Be @('Job', 'Proposal', 'User')
        ($tables | Where-Object Name -eq 'Job').Indexes.Name | Should -Contain 'Job_title_idx'
        ($tables | Out-String -Width 200) | Should -Match 'budget numeric\(10,2\) NOT NULL'
    }
}

Describe 'Migration cmdlets bad input' {
    It 'an environment without a database section is DatabaseNotConfigured' {
        $config = New-TestConfig -Yaml "environments:`n  bare:`n    services: []`n"
        Get-FullyQualifiedErrorId { Get-SkMigrationStatus -Environment bare -ConfigPath $config } | Should -Be 'DatabaseNotConfigured,Skillancer.Deploy.Migrations.GetSkMigrationStatusCommand'
    }

    It 'an unset connection string variable is SecretNotSet and names it' {
        $config = New-TestConfig -Yaml "environments:`n  test:`n    database: { connectionStringEnv: SKDEPLOY_PESTER_NEVER_SET }`n    services: []`n"
        Get-FullyQualifiedErrorId { Invoke-SkMigration -Environment test -ConfigPath $config -Confirm:$false } | Should -Be 'SecretNotSet,Skillancer.Deploy.Migrations.InvokeSkMigrationCommand'
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
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -To 20261101090000_init -Confirm:$false
        Get-FullyQualifiedErrorId { Set-SkMigrationState -Name 20261101090000_init -RolledBack -Environment test -ConfigPath $setup.Config -Confirm:$false } |
            Should -Be 'MigrationNotFailed,Skillancer.Deploy.Migrations.SetSkMigrationStateCommand'
    }

    It 'undoing without a rollback script is RollbackScriptNotFound' {
        $setup = New-MigrationEnvironment
        $null = Invoke-SkMigration -Environment test -ConfigPath $setup.Config -To 20261101090000_init -Confirm:$false
        Get-FullyQualifiedErrorId { Undo-SkMigration -Name 20261101090000_init -Environment test -ConfigPath $setup.Config -Confirm:$false } |
            Should -Be 'RollbackScriptNotFound,Skillancer.Deploy.Migrations.UndoSkMigrationCommand'
    }

    It 'a path that is neither file nor folder is SqlPathNotFound' {
        Get-FullyQualifiedErrorId { Test-SkMigrationSafety -Path (Join-Path $TestDrive 'nothing.sql') } | Should -Be 'SqlPathNotFound,Skillancer.Deploy.Migrations.TestSkMigrationSafetyCommand'
    }

    It 'a lock timeout that is not a duration is refused before anything runs' {
        { Invoke-SkMigration -LockTimeout soon -Path $TestDrive -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,*'
    }
}
