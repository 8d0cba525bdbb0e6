# Compare-SkDeploymentMetric against the real Prometheus that scrapes the sandbox every second: a -slow release
# (twice the latency) and a good one rolled out side by side in one test cluster, then each window compared.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Type = 'Skillancer.Deploy.Engine.Verification.Analysis.MetricComparison'
    $script:Command = 'Skillancer.Deploy.Verification.CompareSkDeploymentMetricCommand'
    function Wait-Until([scriptblock] $Condition, [int] $Seconds, [string] $What) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $Seconds s waiting for $What." }
            Start-Sleep -Milliseconds 250
        }
    }
    function Get-Row($Rows, [string] $Service, [string] $Metric, [string] $Against = 'PreviousWindow') {
        @($Rows | Where-Object { $_.Service -eq $Service -and "$($_.Metric)" -eq $Metric -and "$($_.Against)" -eq $Against })[0]
    }
}

Describe 'Compare-SkDeploymentMetric after a -slow and a good release' {
    BeforeAll {
        $script:Baseline = [TimeSpan]::FromSeconds(15)
        $script:cluster = New-TestCluster
        $script:config = $cluster.ConfigPath
        Wait-ErrorRateData -Namespace $cluster.Staging
        # The window before the deployment needs a baseline's worth of the old version's samples.
        $ready = [DateTimeOffset]::UtcNow
        Wait-Until { [DateTimeOffset]::UtcNow -ge $ready.AddSeconds(12) } 20 'a baseline of the old version'
        $slow = Start-SkRollout staging 1.2.3-slow -Service market-svc -ConfigPath $config
        $good = Start-SkRollout staging 1.2.3 -Service auth-svc -ConfigPath $config
        @($slow) + @($good) | Wait-SkRollout -ConfigPath $config | Out-Null
        $script:Since = [DateTimeOffset]::UtcNow
        # A full window after the deployment, one scrape of slack for Prometheus to ingest the last one.
        Wait-Until { [DateTimeOffset]::UtcNow -ge $Since.Add($Baseline).AddSeconds(2) } 40 'a baseline after the deployment'
        $script:Rows = @(Compare-SkDeploymentMetric staging -Service market-svc, auth-svc -Since $Since -Baseline $Baseline -ConfigPath $config -ErrorVariable script:Failures -ErrorAction SilentlyContinue)
    }

    It 'flags the -slow release''s p95 Regressed, with the p-value, the windows and the query' {
        $p95 = Get-Row $Rows market-svc P95
        $p95.Verdict | Should -Be 'Regressed' -Because $p95.Reason
        $p95.After | Should -BeGreaterThan ($p95.Before * 1.2)
        $p95.Change | Should -BeGreaterThan 0.2
        $p95.PValue | Should -BeLessThan 0.05
        $p95.Statistic | Should -Be 'median'
        $p95.Environment | Should -Be 'staging'
        $p95.AfterSamples | Should -BeGreaterOrEqual 10
        $p95.AfterEnd - $p95.AfterStart | Should -BeLessOrEqual $Baseline
        $p95.BeforeEnd | Should -Be $Since
        $p95.Query | Should -Be "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace=`"$($cluster.Staging)`",service=`"market-svc`"}[5s])))"
    }

    It 'writes the results, then one MetricsRegressed error naming the regression' {
        @($Failures).Count | Should -Be 1
        $Failures[0].FullyQualifiedErrorId | Should -Be "MetricsRegressed,$Command"
        $Failures[0].Exception.Message | Should -Match 'market-svc P95'
        $Failures[0].Exception.Message | Should -Not -Match 'auth-svc'
    }

    It 'gives the good release Normal on p95 and the error ratio, from the configured serviceErrorRateQuery' {
        $p95 = Get-Row $Rows auth-svc P95
        $errors = Get-Row $Rows auth-svc ErrorRatio
        $p95.Verdict | Should -Be 'Normal' -Because $p95.Reason
        $errors.Verdict | Should -Be 'Normal' -Because $errors.Reason
        $errors.Statistic | Should -Be 'mean'
        $errors.Query | Should -Be "sum(rate(http_errors_total{namespace=`"$($cluster.Staging)`",service=`"auth-svc`"}[5s])) / sum(rate(http_requests_total{namespace=`"$($cluster.Staging)`",service=`"auth-svc`"}[5s]))"
        (Get-Row $Rows auth-svc RequestRate).Verdict | Should -Be 'Normal'
    }

    It 'says NoData for CPU and memory: the sandbox has no cAdvisor series' {
        foreach ($metric in 'Cpu', 'Memory') {
            foreach ($against in 'PreviousWindow', 'LastWeek') {
                $row = Get-Row $Rows market-svc $metric $against
                $row.Verdict | Should -Be 'NoData'
                $row.Reason | Should -Match '^not available: no cAdvisor series'
            }
        }
    }

    It 'says NoData a week earlier, never Normal' {
        $lastWeek = @($Rows | Where-Object { "$($_.Against)" -eq 'LastWeek' })
        $lastWeek.Count | Should -Be 14
        $lastWeek | ForEach-Object { $_.Verdict | Should -Be 'NoData' }
        (Get-Row $Rows auth-svc P95 LastWeek).Reason | Should -Match '^no data a week earlier'
    }

    It 'says NoData, never Normal, for windows before the namespace existed' {
        $rows = @(Compare-SkDeploymentMetric staging -Service auth-svc -Since ([DateTimeOffset]::UtcNow.AddMinutes(-30)) -Baseline 1m -ConfigPath $config)
        $rows.Count | Should -Be 14
        $rows | ForEach-Object { $_.Verdict | Should -Be 'NoData' }
        (Get-Row $rows auth-svc P95).Reason | Should -Match 'no data in the window'
    }

    It '-Quiet says $false for the -slow release and $true for the good one' {
        Compare-SkDeploymentMetric staging market-svc -Since $Since -Baseline $Baseline -Quiet -ConfigPath $config | Should -BeFalse
        Compare-SkDeploymentMetric staging auth-svc -Since $Since -Baseline $Baseline -Quiet -ConfigPath $config | Should -BeTrue
    }

    It 'takes a deployment record from Get-SkDeploymentLog by the pipeline: its environment and the end of its rollout' {
        $record = Get-SkDeploymentLog staging -ConfigPath $config | Where-Object { $_.Services -contains 'market-svc' } | Select-Object -First 1
        $record | Should -Not -BeNullOrEmpty
        $rows = @($record | Compare-SkDeploymentMetric -Service market-svc -Baseline $Baseline -ConfigPath $config -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 14
        $rows[0].Environment | Should -Be 'staging'
        $rows[0].BeforeEnd | Should -BeGreaterOrEqual $record.StartedAt
        $rows[0].BeforeEnd | Should -BeLessOrEqual $Since
    }

    It 'formats as a table that names each metric and verdict' {
        $text = $Rows | Out-String -Width 80
        $text | Should -Match 'market-svc\s+P95\s+prev\s+\d+ms\s+\d+ms\s+\+\d+%\s+\S+\s+🛑 Regressed'
    }
}

Describe 'Compare-SkDeploymentMetric with a deployment run from the pipeline' {
    BeforeAll {
        # A run as Invoke-SkDeployment writes it: the engine's own types, from the module's load context.
        $engine = (Get-SkEnvironment staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG).GetType().Assembly
        $stepType = $engine.GetType('Skillancer.Deploy.Engine.Orchestration.Deployment.DeploymentStep')
        function New-Run([string] $Environment, [DateTimeOffset] $Started) {
            $steps = [Array]::CreateInstance($stepType, 3)
            $steps[0] = $stepType::new('Preflight', 'Succeeded', [TimeSpan]::FromSeconds(2), '')
            $steps[1] = $stepType::new('Rollout', 'Succeeded', [TimeSpan]::FromSeconds(3), '')
            $steps[2] = $stepType::new('Health', 'Succeeded', [TimeSpan]::FromSeconds(4), '')
            $run = [Activator]::CreateInstance($engine.GetType('Skillancer.Deploy.Engine.Orchestration.Deployment.DeploymentRun'))
            $run.Environment = $Environment; $run.Version = 'v1.2.3'; $run.Started = $Started; $run.Steps = $steps
            $run
        }
    }

    It 'takes its environment and the end of its Rollout step as -Since' {
        $started = [DateTimeOffset]::UtcNow.AddSeconds(-30)
        $rows = @(New-Run staging $started | Compare-SkDeploymentMetric -Service web -Baseline 10s -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 14
        $rows | ForEach-Object { $_.Environment | Should -Be 'staging'; $_.AfterStart | Should -BeGreaterThan $started.AddSeconds(5) }
        $rows | Where-Object { "$($_.Against)" -eq 'PreviousWindow' } | ForEach-Object { $_.BeforeEnd | Should -Be $started.AddSeconds(5) }
    }

    It 'refuses a run of another environment than -Environment with TargetMismatch' {
        Get-FullyQualifiedErrorId { New-Run production ([DateTimeOffset]::UtcNow.AddMinutes(-5)) | Compare-SkDeploymentMetric -Environment staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } |
            Should -Be "TargetMismatch,$Command"
    }
}

Describe 'Compare-SkDeploymentMetric refuses bad input before it asks Prometheus' {
    It '<Case> is <Id>' -ForEach @(
        @{ Case = '-Baseline 0'; Id = 'InvalidComparisonWindow'; Splat = @{ Since = [DateTimeOffset]::UtcNow.AddHours(-1); Baseline = [TimeSpan]::Zero } }
        @{ Case = 'a negative -Baseline'; Id = 'InvalidComparisonWindow'; Splat = @{ Since = [DateTimeOffset]::UtcNow.AddHours(-1); Baseline = [TimeSpan]::FromMinutes(-5) } }
        @{ Case = '-Since in the future'; Id = 'InvalidComparisonWindow'; Splat = @{ Since = [DateTimeOffset]::UtcNow.AddHours(1) } }
        @{ Case = 'a -Since that is no time'; Id = 'InvalidComparisonWindow'; Splat = @{ Since = 'yesterday-ish' } }
        @{ Case = 'an unknown service'; Id = 'ServiceNotFound'; Splat = @{ Since = [DateTimeOffset]::UtcNow.AddHours(-1); Service = 'no-such-svc' } }
    ) {
        Get-FullyQualifiedErrorId { Compare-SkDeploymentMetric staging @Splat -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } |
            Should -Be "$Id,Skillancer.Deploy.Verification.CompareSkDeploymentMetricCommand"
    }

    It '-Since a moment ago is ComparisonWindowTooShort: fewer than three scrapes to compare' {
        Get-FullyQualifiedErrorId { Compare-SkDeploymentMetric staging -Since ([DateTimeOffset]::UtcNow.AddSeconds(-1)) -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } |
            Should -Be 'ComparisonWindowTooShort,Skillancer.Deploy.Verification.CompareSkDeploymentMetricCommand'
    }

    It 'an environment without a prometheus section is PrometheusNotConfigured' {
        $config = New-TestConfig -Yaml "environments:`n  staging:`n    services:`n      - { name: web, tier: frontend }`n"
        Get-FullyQualifiedErrorId { Compare-SkDeploymentMetric staging -Since ([DateTimeOffset]::UtcNow.AddHours(-1)) -ConfigPath $config } |
            Should -Be "PrometheusNotConfigured,Skillancer.Deploy.Verification.CompareSkDeploymentMetricCommand"
    }

    It '-Quiet says $false when the input is refused' {
        Compare-SkDeploymentMetric staging -Since ([DateTimeOffset]::UtcNow.AddHours(1)) -Quiet -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG -ErrorAction SilentlyContinue | Should -BeFalse
    }
}
