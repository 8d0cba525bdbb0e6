# The gate convention: a failed gate writes its results and then one ErrorRecord, so $?, -ErrorAction Stop and
# try/catch all see it; -Quiet returns only a boolean and writes no error. And the runbook's composition
# Start | Wait | Watch -AutoRollback under $ErrorActionPreference = 'Stop' still rolls back.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule

    # Runs the gate three ways and asserts the convention; returns the results written before the error.
    function Assert-FailedGate {
        param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [hashtable] $Parameters, [Parameter(Mandatory)] [string] $ErrorId)
        $command = (Get-Command $Name).ImplementingType.FullName
        $results = & $Name @Parameters -ErrorAction SilentlyContinue -ErrorVariable failures 3>$null
        $succeeded = $?
        $succeeded | Should -BeFalse -Because '$? must see a failed gate'
        @($failures).Count | Should -Be 1 -Because 'a failed gate writes exactly one error'
        $failures[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$command"
        $failures[0].Exception.Message | Should -Match '\. [A-Z].*(again|before|Fix|-AcknowledgeRisk)' -Because 'the message says what to do next'

        $written = [Collections.Generic.List[object]]::new()
        { & $Name @Parameters -ErrorAction Stop 3>$null | ForEach-Object { $written.Add($_) } } | Should -Throw -ErrorId "$ErrorId,$command"
        $written.Count | Should -Be @($results).Count -Because 'the results are written before the error'

        $quiet = & $Name @Parameters -Quiet -ErrorVariable quietErrors 3>$null
        $quiet | Should -BeOfType [bool]
        $quiet | Should -BeFalse
        @($quietErrors).Count | Should -Be 0 -Because '-Quiet writes no error'
        $results
    }
}

Describe 'Failed gates are visible to $? and -ErrorAction Stop' {
    AfterEach { Reset-SandboxHealth }

    It 'Test-SkHealth ends with HealthCheckFailed after its results' {
        Set-SandboxHealth -Environment staging -Service market-svc -StatusCode 503
        $results = Assert-FailedGate Test-SkHealth @{ Environment = 'staging'; ConfigPath = $env:SKDEPLOY_SANDBOX_CONFIG } -ErrorId HealthCheckFailed
        $results.Service | Should -Be @('auth-svc', 'market-svc', 'skillpod-svc', 'api-gateway', 'web')
        ($results | Where-Object Service -eq 'market-svc').Healthy | Should -BeFalse
    }

    It 'Test-SkHealth writes no error when every service is healthy' {
        $null = Test-SkHealth staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG -ErrorVariable failures
        $? | Should -BeTrue
        @($failures).Count | Should -Be 0
    }

    It 'Invoke-SkSmokeTest ends with SmokeTestFailed after its results' {
        $results = Assert-FailedGate Invoke-SkSmokeTest @{ Environment = 'staging'; SkipConfigured = $true; Command = 'exit 3'; ConfigPath = $env:SKDEPLOY_SANDBOX_CONFIG } -ErrorId SmokeTestFailed
        $results.Outcome | Should -Be 'Failed'
    }

    It 'Watch-SkErrorRate ends with ErrorRateWatchInconclusive when the query finds no data' {
        $cluster = New-TestCluster
        $watch = @{ Environment = 'staging'; Query = 'http_requests_total{service="no-such-service"}'; Duration = '10s'; Interval = '1s'; InconclusiveLimit = 2; ConfigPath = $cluster.ConfigPath }
        $results = Assert-FailedGate Watch-SkErrorRate $watch -ErrorId ErrorRateWatchInconclusive
        $results[-1].Verdict | Should -Be 'Inconclusive'
    }

    It 'Test-SkMigrationSafety ends with MigrationSafetyFailed when a risk blocks' {
        $file = Join-Path $TestDrive 'drop.sql'
        Set-Content -LiteralPath $file -Value 'DROP TABLE "Job";'
        $results = Assert-FailedGate Test-SkMigrationSafety @{ Path = $file } -ErrorId MigrationSafetyFailed
        $results.Rule | Should -Be 'drop-table'
        Set-Content -LiteralPath $file -Value 'CREATE INDEX CONCURRENTLY "Job_title" ON "Job" ("title");'
        $null = Test-SkMigrationSafety -Path $file -ErrorVariable failures
        @($failures).Count | Should -Be 0
        Test-SkMigrationSafety -Path $file -Quiet | Should -BeTrue
    }
}

Describe 'Start-SkRollout | Wait-SkRollout | Watch-SkErrorRate -AutoRollback under $ErrorActionPreference = Stop' {
    It 'rolls the faulty version back in the cluster, and the script sees ErrorRateWatchFailed' {
        $cluster = New-TestCluster
        Wait-ErrorRateData -Namespace $cluster.Staging
        $script = Join-Path $TestDrive 'runbook.ps1'
        Set-Content -LiteralPath $script -Value @'
param($ConfigPath)
$ErrorActionPreference = 'Stop'
$WarningPreference = 'SilentlyContinue'
try {
    Start-SkRollout staging 1.2.3-faulty -Service market-svc -ConfigPath $ConfigPath |
        Wait-SkRollout -ConfigPath $ConfigPath |
        Watch-SkErrorRate -Duration 60s -Interval 1s -AutoRollback -ConfigPath $ConfigPath -OutVariable watched | Out-Null
    [pscustomobject]@{ Caught = $null; Watched = $watched }
}
catch {
    [pscustomobject]@{ Caught = $_; Watched = $watched }
}
'@
        $run = & $script -ConfigPath $cluster.ConfigPath
        $run.Caught | Should -Not -BeNullOrEmpty -Because 'the failed watch must stop the script'
        $run.Caught.FullyQualifiedErrorId | Should -Be 'ErrorRateWatchFailed,Skillancer.Deploy.Verification.WatchSkErrorRateCommand'
        $run.Caught.Exception.Message | Should -Match 'Rolled back: market-svc'
        $rollback = $run.Watched | Where-Object { $_.PSObject.TypeNames[0] -eq 'Skillancer.Deploy.Engine.Kubernetes.Rollout.RollbackResult' }
        $rollback.Status | Should -Be 'RolledBack'
        $run.Watched[-1].RolledBack | Should -Be @('market-svc')
        (Get-SkDeployment staging market-svc -ConfigPath $cluster.ConfigPath).Version | Should -Be 'v1.2.2'
        $patches = Get-MutatingRequest -Namespace $cluster.Staging | Where-Object { $_.path -like '*/deployments/market-svc*' }
        @($patches).Count | Should -BeGreaterOrEqual 2 -Because 'the rollout and its rollback were both sent'
    }
}
