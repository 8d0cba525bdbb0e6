# Invoke-SkCanary (issue 16): the progressive canary with automated analysis, against the sandbox's cluster and traffic
# (split by the VirtualService's weights, with a latency histogram) as the real Prometheus scrapes it every second.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    # A cluster whose staging web app serves $Rate requests per pod per second: a 10% canary sees about 2 × $Rate × 0.1 a second.
    function New-CanaryCluster([double] $Rate = 100) {
        $cluster = New-TestCluster
        $body = @{ requestsPerPodPerSecond = $Rate } | ConvertTo-Json
        Invoke-RestMethod -Method Put -Uri "$((Get-SandboxInfo).baseUrl)sandbox/traffic/$($cluster.Staging)" -Body $body -ContentType 'application/json' | Out-Null
        $cluster
    }
    function Get-Delivered { @(Invoke-RestMethod -Uri "$((Get-SandboxInfo).baseUrl)sandbox/webhooks") | ForEach-Object { $_ } }
    # The canary as kubectl sees it: stable's version, the VirtualService's weights, the canary deployment's replicas (-1: none).
    function Get-CanaryState($Cluster) {
        $kubectl = @('--kubeconfig', (Get-SkEnvironment staging -ConfigPath $Cluster.ConfigPath).Kubernetes.Kubeconfig, '--cache-dir', (Join-Path $TestDrive 'kubectl'), '-n', $Cluster.Staging)
        $routes = (kubectl @kubectl get virtualservice web -o json | ConvertFrom-Json).spec.http[0].route
        $canary = kubectl @kubectl get deployment web-canary -o json 2>$null | ConvertFrom-Json
        '{0}/{1}/{2}/{3}' -f (Get-SkDeployment staging web -ConfigPath $Cluster.ConfigPath).Version,
            ($routes | Where-Object { $_.destination.subset -eq 'stable' }).weight,
            ($routes | Where-Object { $_.destination.subset -eq 'canary' }).weight,
            ($canary ? $canary.spec.replicas : -1)
    }
    # Runs Invoke-SkCanary to its end: the run it wrote, the error that ended it (CanaryAborted), and its warnings.
    function Invoke-Canary([hashtable] $Splat) {
        $output = [Collections.Generic.List[object]]::new()
        $failure = $null
        try { Invoke-SkCanary @Splat -ErrorAction Stop 3>&1 | ForEach-Object { $output.Add($_) } } catch { $failure = $_ }
        [pscustomobject]@{
            Run = $output | Where-Object { $_ -isnot [Management.Automation.WarningRecord] } | Select-Object -First 1
            Failure = $failure
            Warnings = @($output | Where-Object { $_ -is [Management.Automation.WarningRecord] } | ForEach-Object Message)
        }
    }
    # Short steps for a test: every analysis compares 5 per-scrape samples of each track (the sandbox's Prometheus scrapes every second).
    $script:Fast = @{ StepDuration = '5s'; Interval = '5s'; Analysis = @{ minRequests = 50 } }
}

Describe 'Invoke-SkCanary' {
    It 'takes a good canary through every step and promotes it' {
        $cluster = New-CanaryCluster
        $ended = Invoke-Canary (@{ Environment = 'staging'; Service = 'web'; Version = '1.2.3'; Steps = 10, 50, 100; ConfigPath = $cluster.ConfigPath } + $Fast)
        $ended.Failure | Should -BeNullOrEmpty
        $run = $ended.Run
        $run.Outcome | Should -Be 'Promoted'
        @($run.Steps | ForEach-Object { "$($_.Weight):$($_.Verdict)" }) | Should -Be @('10:Pass', '50:Pass')
        @($run.Samples).Count | Should -BeGreaterOrEqual 2
        $run.Samples | ForEach-Object {
            $_.Verdict | Should -Be 'Pass'
            $_.CanaryErrorRatio | Should -BeLessThan 0.02
            $_.CanaryP95 | Should -BeGreaterThan 0
            $_.StableP95 | Should -BeGreaterThan 0
        }
        Get-CanaryState $cluster | Should -Be 'v1.2.3/100/0/-1'
        $record = Get-SkDeploymentLog staging -Id $run.Id -ConfigPath $cluster.ConfigPath
        $record.Status | Should -Be 'Succeeded'
        $record.Kind | Should -Be 'Canary'
        @($record.Steps.Name) | Should -Be @('canary start web v1.2.3', 'canary step 1 (10%)', 'canary step 2 (50%)', 'canary promote web')
    }

    It 'aborts a -faulty canary at its first step: traffic back on stable before the scale-down, the Rollback notice, the record' {
        $cluster = New-CanaryCluster
        $sent = @(Get-Delivered).Count
        $ended = Invoke-Canary (@{ Environment = 'staging'; Service = 'web'; Version = '1.2.3-faulty'; Steps = 10, 100; ConfigPath = $cluster.ConfigPath } + $Fast)
        $ended.Failure.FullyQualifiedErrorId | Should -Be 'CanaryAborted,Skillancer.Deploy.Orchestration.InvokeSkCanaryCommand'
        $ended.Failure.Exception.Message | Should -Match 'Traffic is back on stable'
        $run = $ended.Run
        $run.Outcome | Should -Be 'Aborted'
        @($run.Steps).Count | Should -Be 1
        @($run.Samples).Count | Should -BeLessOrEqual 2   # failureLimit
        ($run.Samples | Where-Object Verdict -EQ 'Fail') | Select-Object -First 1 | ForEach-Object { $_.Reason | Should -Match 'error ratio' }
        Get-CanaryState $cluster | Should -Be 'v1.2.2/100/0/0'
        # In the request log: the VirtualService back to 0% first, then the canary's scale-down.
        $writes = @(Get-MutatingRequest -Namespace $cluster.Staging) | Select-Object -Last 2
        $writes[0].path | Should -Match '/virtualservices/web$'
        $writes[1].path | Should -Match '/deployments/web-canary/scale$'
        $titles = @(Get-Delivered | Select-Object -Skip $sent | ForEach-Object { (($_.body | ConvertFrom-Json).text -split "`n")[0] })
        @($titles | Where-Object { $_ -match 'Rollback' }).Count | Should -Be 1
        $record = Get-SkDeploymentLog staging -Id $run.Id -ConfigPath $cluster.ConfigPath
        $record.Status | Should -Be 'RolledBack'
        ($record.Steps | Where-Object Name -EQ 'canary abort web').Detail | Should -Match 'error ratio'
    }

    It 'aborts a -slow canary on latency alone, its error ratio normal' {
        $cluster = New-CanaryCluster
        $run = (Invoke-Canary (@{ Environment = 'staging'; Service = 'web'; Version = '1.2.3-slow'; Steps = 10, 100; ConfigPath = $cluster.ConfigPath } + $Fast)).Run
        $run.Outcome | Should -Be 'Aborted'
        $failed = @($run.Samples | Where-Object Verdict -EQ 'Fail')
        $failed.Count | Should -Be 2
        $failed | ForEach-Object {
            $_.Reason | Should -Match 'p95'
            $_.Reason | Should -Not -Match 'error ratio'
            $_.CanaryErrorRatio | Should -BeLessThan 0.02
            $_.CanaryP95 | Should -BeGreaterThan (1.5 * $_.StableP95)
            $_.LatencyPValue | Should -BeLessThan 0.05
        }
        Get-CanaryState $cluster | Should -Be 'v1.2.2/100/0/0'
        # The post-mortem's pictures: the record keeps the analyses as charts, and the HTML report draws them.
        $run.Charts.Title | Should -Be @('web v1.2.3-slow: error ratio, canary against stable', 'web v1.2.3-slow: p95 latency, canary against stable')
        $run.Charts[1].Marks.Label | Should -Be @('step 1: 10%', 'aborted')
        # Every list of a chart indexes in PowerShell, as scripts read it.
        $run.Charts[1].Series[0].Name | Should -Be 'canary'
        $run.Charts[1].Series[0].Points[0].Value | Should -BeGreaterThan $run.Charts[1].Series[1].Points[0].Value
        $run.Charts[0].Thresholds[0].Name | Should -Be 'consider rollback'
        $run.Charts[0].Marks[-1].Label | Should -Be 'aborted'
        $record = Get-SkDeploymentLog staging -Id $run.Id -ConfigPath $cluster.ConfigPath
        $record.Charts.Title | Should -Be $run.Charts.Title
        $page = Join-Path $TestDrive 'slow-canary.html'
        ($record | Export-SkDeploymentReport -Format Html -Path $page).FullName | Should -Be $page
        if ($IsLinux) {
            $seen = Read-InHeadlessChromium -Path $page
            $seen.Charts.Label | Should -Be $run.Charts.Title
            foreach ($chart in $seen.Charts) {
                $chart.Points | Should -Be (@($run.Samples).Count * 2) -Because "$($chart.Label): the canary's and stable's value at each analysis"
                $chart.Dots | Should -Be $chart.Points
            }
            $seen.Dom | Should -Match 'canary step 1 \(10%\)'
            $seen.Requests | Should -BeNullOrEmpty
        }
    }

    It 'calls too little traffic Inconclusive, extends the step, then aborts: never a promotion' {
        $cluster = New-CanaryCluster -Rate 1
        $ended = Invoke-Canary @{ Environment = 'staging'; Service = 'web'; Version = '1.2.3'; Steps = 10, 50, 100; StepDuration = '2s'; Interval = '2s'; Analysis = @{ maxStepExtensions = 1 }; ConfigPath = $cluster.ConfigPath }
        $ended.Failure.FullyQualifiedErrorId | Should -BeLike 'CanaryAborted,*'
        $run = $ended.Run
        $run.Outcome | Should -Be 'Aborted'
        @($run.Samples.Verdict | Select-Object -Unique) | Should -Be @('Inconclusive')
        $run.Samples[0].Reason | Should -Match 'fewer than minRequests 200'
        $run.Steps[0].Extensions | Should -Be 1
        "$($ended.Warnings)" | Should -Match 'extension 1 of 1'
        # The weight never went past the first step's.
        $routes = @(Get-MutatingRequest -Namespace $cluster.Staging | Where-Object path -Match '/virtualservices/web$')
        $routes.Count | Should -Be 2
        Get-CanaryState $cluster | Should -Be 'v1.2.2/100/0/0'
    }

    It 'resumes a canary whose process was killed at step 2 of 4: the same record, at step 2, the first step not watched again' {
        $cluster = New-CanaryCluster
        # A lock lease of 2 s: the killed runner's lock is free to take over soon after.
        $config = New-TestConfig -Yaml ((Get-Content -Raw $cluster.ConfigPath) -replace '(?m)^defaults:\s*$', "defaults:`n  lock:`n    leaseDuration: 2s")
        $nothing = Get-FullyQualifiedErrorId { Invoke-SkCanary staging web -Resume -ConfigPath $config 3>$null }
        $runner = Start-ChildPwsh -Script "Import-Module '$env:SKDEPLOY_MODULE_PATH'; Invoke-SkCanary staging web 1.2.3 -Steps 10, 25, 50, 100 -StepDuration 6s -Interval 3s -Analysis @{ minRequests = 20 } -ConfigPath '$config' 3>`$null | Out-Null"
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        do {
            Start-Sleep -Milliseconds 100
            $record = Get-SkDeploymentLog staging -Kind Canary -Last 1 -ConfigPath $config -ErrorAction SilentlyContinue
        } until (($record -and ($record.Steps | Where-Object { $_.Name -eq 'canary step 2 (25%)' -and $_.Status -eq 'Running' })) -or $runner.HasExited -or [DateTime]::UtcNow -gt $deadline)
        $runner.HasExited | Should -BeFalse -Because 'the canary must still run when it is killed'
        $runner.Kill(); $runner.WaitForExit()
        $weightsBefore = @(Get-MutatingRequest -Namespace $cluster.Staging | Where-Object path -Match '/virtualservices/web$').Count
        $wrong = Get-FullyQualifiedErrorId { Invoke-SkCanary staging web 1.2.4 -Resume -ConfigPath $config 3>$null }

        $ended = Invoke-Canary @{ Environment = 'staging'; Service = 'web'; Resume = $true; ConfigPath = $config }

        $nothing | Should -BeLike 'NothingToResume,*'
        $wrong | Should -BeLike 'ResumeVersionMismatch,*'
        $ended.Failure | Should -BeNullOrEmpty
        $run = $ended.Run
        $run.Id | Should -Be $record.Id
        $run.Outcome | Should -Be 'Promoted'
        @($run.Steps | ForEach-Object { "$($_.Step):$($_.Weight):$($_.Verdict)" }) | Should -Be @('1:10:Pass', '2:25:Pass', '3:50:Pass')
        $run.Steps[0].Detail | Should -Match '^Before the resume'
        @($run.Samples.Step | Select-Object -Unique) | Should -Not -Contain 1   # step 1 was not watched again
        $run.Samples[0].Step | Should -Be 2
        # Its charts still draw the analyses before the kill (kept in the record at each analysis), with every step marked.
        $canary = ($run.Charts[0].Series | Where-Object Name -EQ 'canary').Points
        @($canary | Where-Object At -LT $run.Samples[0].Timestamp).Count | Should -BeGreaterOrEqual 2 -Because 'step 1 had two analyses'
        @($canary).Count | Should -Be (@($canary.At | Select-Object -Unique).Count)
        @($run.Charts[0].Marks.Label) | Should -Be @('step 1: 10%', 'step 2: 25%', 'step 3: 50%', 'promoted')
        # The weights the resumed run set: 50% only (25% was set before the kill), then 0% at the promotion.
        @(Get-MutatingRequest -Namespace $cluster.Staging | Where-Object path -Match '/virtualservices/web$').Count | Should -Be ($weightsBefore + 2)
        Get-CanaryState $cluster | Should -Be 'v1.2.3/100/0/-1'
        $closed = Get-SkDeploymentLog staging -Id $record.Id -ConfigPath $config
        $closed.Status | Should -Be 'Succeeded'
        "$($closed.Notes)" | Should -Match 'Resumed by .* took the lock over'
        @($closed.Steps.Name) | Should -Be @('canary start web v1.2.3', 'canary step 1 (10%)', 'canary step 2 (25%)', 'canary step 3 (50%)', 'canary promote web')
    }

    It 'refuses a bad analysis or a service without a canary before any change, and sends nothing with -WhatIf' {
        $cluster = New-CanaryCluster
        $id = 'Skillancer.Deploy.Orchestration.InvokeSkCanaryCommand'
        Get-FullyQualifiedErrorId { Invoke-SkCanary staging web 1.2.3 -Steps 50, 25, 100 -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidCanaryAnalysis,$id"
        Get-FullyQualifiedErrorId { Invoke-SkCanary staging web 1.2.3 -Steps 5, 50 -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidCanaryAnalysis,$id"
        Get-FullyQualifiedErrorId { Invoke-SkCanary staging web 1.2.3 -StepDuration 10s -Interval 1m -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidCanaryAnalysis,$id"
        Get-FullyQualifiedErrorId { Invoke-SkCanary staging web 1.2.3 -Analysis @{ failureLimit = 'many' } -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidCanaryAnalysis,$id"
        Get-FullyQualifiedErrorId { Invoke-SkCanary staging web 1.2.3 -Analysis @{ nope = 1 } -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidCanaryAnalysis,$id"
        Get-FullyQualifiedErrorId { Invoke-SkCanary staging auth-svc 1.2.3 -ConfigPath $cluster.ConfigPath } | Should -Be "CanaryNotConfigured,$id"
        Get-FullyQualifiedErrorId { Invoke-SkCanary staging web 1.2 -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidVersion,$id"
        $plan = Invoke-ChildPwsh -Script 'Import-Module $env:SKDEPLOY_MODULE_PATH; Invoke-SkCanary staging web 1.2.3 -ConfigPath $env:CONFIG -WhatIf' -Environment @{
            SKDEPLOY_MODULE_PATH = $env:SKDEPLOY_MODULE_PATH; CONFIG = $cluster.ConfigPath
        }
        $plan.ExitCode | Should -Be 0
        $plan.Output | Should -Match 'What if: .*Run canary v1\.2\.3, then route 5% to canary'
        $plan.Output | Should -Match 'route 25% to canary'
        $plan.Output | Should -Match 'promote canary v1\.2\.3'
        Get-MutatingRequest -Namespace $cluster.Staging -IncludeState | Should -BeNullOrEmpty
    }
}

Describe 'Reading a report in headless chromium' -Skip:(-not $IsLinux) {
    It "sees a page's own network requests, so that a report's none is a finding" {
        # The check the report tests rely on, shown to work: a page that loads an image and a stylesheet is caught.
        $page = Join-Path $TestDrive 'loads.html'
        Set-Content -LiteralPath $page -Value '<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/probe.png"><link rel="stylesheet" href="http://127.0.0.1:9/probe.css"></body></html>'
        $seen = Read-InHeadlessChromium -Path $page
        $seen.Requests | Should -Contain 'http://127.0.0.1:9/probe.png'
        $seen.Requests | Should -Contain 'http://127.0.0.1:9/probe.css'
    }
}
