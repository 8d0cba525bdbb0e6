# Watch-SkErrorRate against the real Prometheus that scrapes the sandbox, each test in namespaces of its own.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
}

Describe 'Watch-SkErrorRate' {
    It 'emits a sample every interval and a Passed summary for a good version' {
        $cluster = New-TestCluster
        Wait-ErrorRateData -Namespace $cluster.Staging
        $output = Watch-SkErrorRate staging -Service web -Duration 2s -Interval 1s -ConfigPath $cluster.ConfigPath
        $samples = $output | Where-Object { $_.PSObject.TypeNames[0] -eq 'Skillancer.Deploy.Engine.Verification.ErrorRate.ErrorRateSample' }
        $summary = $output[-1]
        $samples.Count | Should -Be 3
        $samples | ForEach-Object { $_.Level | Should -Be 'Ok'; $_.Service | Should -Be 'web'; $_.Rate | Should -BeLessThan 0.01 }
        $summary.Verdict | Should -Be 'Passed'
        $summary.Samples | Should -Be 3
        ($samples | Out-String -Width 120) | Should -Match "web\s+0\.\d\d% ✅`u{FE0F} Ok\s+threshold 1%"   # about 0.5%: the sandbox varies each second's errors by up to 30%
    }

    It 'catches a faulty rollout piped in, rolls back exactly it with -AutoRollback, and the rate falls back to Ok' {
        $cluster = New-TestCluster
        Wait-ErrorRateData -Namespace $cluster.Staging
        $output = Start-SkRollout staging 1.2.3-faulty -Service market-svc -ConfigPath $cluster.ConfigPath |
            Wait-SkRollout -ConfigPath $cluster.ConfigPath |
            Watch-SkErrorRate -Duration 60s -Interval 1s -AutoRollback -ConfigPath $cluster.ConfigPath -WarningVariable warnings -ErrorVariable failures -ErrorAction SilentlyContinue 3>$null
        $rollback = $output | Where-Object { $_.PSObject.TypeNames[0] -eq 'Skillancer.Deploy.Engine.Kubernetes.Rollout.RollbackResult' }
        $summary = $output[-1]
        $summary.Verdict | Should -Be 'Failed'
        $summary.RollbackConfirmed | Should -BeTrue
        $summary.RolledBack | Should -Be @('market-svc')
        $failures.FullyQualifiedErrorId | Should -Be 'ErrorRateWatchFailed,Skillancer.Deploy.Verification.WatchSkErrorRateCommand'
        $rollback.ToImage | Should -Be 'skillancer/market-svc:v1.2.2'
        $rollback.Status | Should -Be 'RolledBack'
        (Get-SkDeployment staging market-svc -ConfigPath $cluster.ConfigPath).Version | Should -Be 'v1.2.2'
        # The automatic rollback is a cluster change like any other: under the lock, and in the journal.
        $record = Get-SkDeploymentLog staging -Last 1 -ConfigPath $cluster.ConfigPath
        ($record.Kind, $record.Action, $record.Status, $record.Recovery) | Should -Be @('Rollback', 'Watch-SkErrorRate', 'Succeeded', $true)
        $record.Steps.Name | Should -Be 'rollback market-svc'
        $warnings | Where-Object { "$_" -like '*Runbook: "Error rate > 10%: Immediate rollback"*' } | Should -Not -BeNullOrEmpty
        # Once the 5 s window holds only the good version's requests, the watch passes again.
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        do { $ok = Watch-SkErrorRate staging market-svc -Duration 1s -Interval 1s -Quiet -ConfigPath $cluster.ConfigPath 3>$null }
        until ($ok -or [DateTime]::UtcNow -gt $deadline)
        $ok | Should -BeTrue
    }

    It 'refuses a negative -LockTimeout with InvalidLockTimeout before it watches or asks anything' {
        $cluster = New-TestCluster
        Get-FullyQualifiedErrorId { Watch-SkErrorRate staging -Duration 60s -AutoRollback -Force -LockTimeout ([TimeSpan]::FromSeconds(-5)) -ConfigPath $cluster.ConfigPath } |
            Should -Be 'InvalidLockTimeout,Skillancer.Deploy.Verification.WatchSkErrorRateCommand'
        Get-MutatingRequest -Namespace $cluster.Staging -IncludeState | Should -BeNullOrEmpty
    }

    It 'rolls back every service with -AutoRollback -Force when no rollout is piped in' {
        $cluster = New-TestCluster
        Wait-ErrorRateData -Namespace $cluster.Staging
        Start-SkRollout staging 1.2.3-faulty -ConfigPath $cluster.ConfigPath | Out-Null
        $summary = (Watch-SkErrorRate staging -Duration 60s -Interval 1s -AutoRollback -Force -ConfigPath $cluster.ConfigPath -ErrorAction SilentlyContinue 3>$null)[-1]
        $summary.Verdict | Should -Be 'Failed'
        @($summary.RolledBack | Sort-Object) | Should -Be @('api-gateway', 'auth-svc', 'market-svc', 'skillpod-svc', 'web')
        (Get-SkDeployment staging -ConfigPath $cluster.ConfigPath).Version | Sort-Object -Unique | Should -Be 'v1.2.2'
    }

    It 'sends no rollback with -WhatIf' {
        $cluster = New-TestCluster
        Wait-ErrorRateData -Namespace $cluster.Staging
        $rollout = Start-SkRollout staging 1.2.3-faulty -Service auth-svc -ConfigPath $cluster.ConfigPath | Wait-SkRollout -ConfigPath $cluster.ConfigPath
        $before = (Get-MutatingRequest -Namespace $cluster.Staging).Count
        $summary = $rollout | Watch-SkErrorRate -Duration 60s -Interval 1s -AutoRollback -WhatIf -ConfigPath $cluster.ConfigPath -ErrorAction SilentlyContinue 3>$null
        $summary.Verdict | Should -Be 'Failed'
        $summary.RolledBack | Should -BeNullOrEmpty
        (Get-MutatingRequest -Namespace $cluster.Staging).Count | Should -Be $before
        (Get-SkDeployment staging auth-svc -ConfigPath $cluster.ConfigPath).Version | Should -Be 'v1.2.3-faulty'
    }

    It 'returns only a bool with -Quiet' {
        $cluster = New-TestCluster
        Wait-ErrorRateData -Namespace $cluster.Staging
        $result = Watch-SkErrorRate staging -Duration 1s -Interval 1s -Quiet -ConfigPath $cluster.ConfigPath
        $result | Should -BeOfType [bool]
        $result | Should -BeTrue
    }

    It 'says Unknown, not Ok, when the query finds no data, and ends Inconclusive' {
        $cluster = New-TestCluster
        $output = Watch-SkErrorRate staging -Query 'http_requests_total{service="no-such-service"}' -Duration 10s -Interval 1s -InconclusiveLimit 2 -ConfigPath $cluster.ConfigPath -ErrorAction SilentlyContinue 3>$null
        $output[0].Level | Should -Be 'Unknown'
        $output[0].Reason | Should -Match 'no data'
        $output[-1].Verdict | Should -Be 'Inconclusive'
    }

    It 'rejects bad input with specific error ids' {
        $cluster = New-TestCluster
        $id = 'Skillancer.Deploy.Verification.WatchSkErrorRateCommand'
        Get-FullyQualifiedErrorId { Watch-SkErrorRate staging -Thresholds @{ Bogus = 0.1 } -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidThresholds,$id"
        Get-FullyQualifiedErrorId { Watch-SkErrorRate staging -Thresholds @{ Investigate = 0.2 } -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidThresholds,$id"
        Get-FullyQualifiedErrorId { Watch-SkErrorRate staging -Duration 5s -Interval 10s -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidErrorRateWatch,$id"
        Get-FullyQualifiedErrorId { Watch-SkErrorRate staging -Duration 2s -Interval 1s -Query 'sum(rate(x[1m]' -ConfigPath $cluster.ConfigPath } | Should -Be "ErrorRateQueryInvalid,$id"
        $bare = New-TestConfig -Yaml "environments:`n  staging:`n    services: []`n"
        Get-FullyQualifiedErrorId { Watch-SkErrorRate staging -Duration 2s -Interval 1s -ConfigPath $bare } | Should -Be "PrometheusNotConfigured,$id"
    }
}
