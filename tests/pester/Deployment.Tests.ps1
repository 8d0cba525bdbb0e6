# Invoke-SkDeployment (issue 15): the runbook's Deployment Process as one gated run, against the sandbox: its cluster,
# real PostgreSQL databases of each test's own, the real Prometheus, the flag API, the registry, GitHub, PagerDuty, the
# CDN and the webhook sink.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    function Get-Delivered { @(Invoke-RestMethod -Uri "$((Get-SandboxInfo).baseUrl)sandbox/webhooks") }
    # Invoke-RestMethod hands the sink's JSON array over as one object: ForEach-Object unrolls it.
    function Get-Titles([int] $Since) { Get-Delivered | ForEach-Object { $_ } | Select-Object -Skip $Since | ForEach-Object { (($_.body | ConvertFrom-Json).text -split "`n")[0] } }
    # A configuration whose lock lease lasts 2 s: a killed run's lock is free to resume soon after.
    function New-ShortLeaseConfig([string] $ConfigPath) { New-TestConfig -Yaml ((Get-Content -Raw $ConfigPath) -replace '(?m)^defaults:\s*$', "defaults:`n  lock:`n    leaseDuration: 2s") }
    # Waits until $When holds of a running Invoke-SkDeployment's journal record (polling, with a deadline).
    function Wait-RunnerRecord([Diagnostics.Process] $Runner, [string] $ConfigPath, [scriptblock] $When) {
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        do {
            Start-Sleep -Milliseconds 100
            $record = Get-SkDeploymentLog staging -Kind Deploy -Last 1 -ConfigPath $ConfigPath -ErrorAction SilentlyContinue
        } until (($record -and (& $When $record)) -or $Runner.HasExited -or [DateTime]::UtcNow -gt $deadline)
        if ($Runner.HasExited) { throw "The run ended (exit code $($Runner.ExitCode)) before it could be stopped midway." }
        $record
    }
    # Kills the runner (SIGKILL, as a dying runner host) and returns its record as it was left.
    function Stop-Runner([Diagnostics.Process] $Runner, [string] $ConfigPath, $Record) {
        $Runner.Kill()
        $Runner.WaitForExit()
        Get-SkDeploymentLog staging -Id $Record.Id -ConfigPath $ConfigPath
    }
    # Kills a running Invoke-SkDeployment once $When holds of its record; returns the record then.
    function Stop-RunnerWhen([Diagnostics.Process] $Runner, [string] $ConfigPath, [scriptblock] $When) {
        Stop-Runner $Runner $ConfigPath (Wait-RunnerRecord $Runner $ConfigPath $When)
    }
    # Production outside its window goes ahead as an emergency (the watch then doubles); -Force confirms in advance.
    $script:Production = @{ Force = $true }
    if (-not (Test-SkDeploymentWindow production -Quiet -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG)) { $script:Production += @{ Emergency = $true; Reason = 'pester: outside the window' } }
}

Describe 'Invoke-SkDeployment' {
    It 'deploys staging: every step in the runbook''s order, the record complete, the notices in order' {
        $setup = New-TestClusterWithDatabases
        Wait-ErrorRateData -Namespace $setup.Cluster.Staging
        $before = (Get-Delivered).Count
        $summary = Join-Path $TestDrive 'step-summary.md'
        $saved = $env:GITHUB_STEP_SUMMARY
        try {
            $env:GITHUB_STEP_SUMMARY = $summary   # as GitHub Actions sets it
            # On a host that shows progress bars, to see them nested.
            $shown = Invoke-Answering -Command "Invoke-SkDeployment staging 1.2.3 -MonitorDuration 5s -ReportPath '$(Join-Path $TestDrive 'reports')' -ConfigPath '$($setup.ConfigPath)' 3>`$null"
            $run = $shown.Output[0]
        }
        finally { $env:GITHUB_STEP_SUMMARY = $saved }

        $run.Status | Should -Be 'Succeeded'
        $run.Steps.Name | Should -Be @('Preflight', 'Notice: Deployment Started', 'Migrations', 'Rollout', 'Health', 'Smoke', 'Error-rate watch', 'CDN', 'Notice: Deployment Complete')
        $run.Steps | Where-Object Status -EQ 'Failed' | ForEach-Object { "$($_.Name): $($_.Detail)" } | Should -BeNullOrEmpty
        ($run.Steps | Where-Object Name -EQ Migrations).Detail | Should -Match '^Applied 5: 20261101090000_init'
        ($run.Steps | Where-Object Name -EQ Rollout).Detail | Should -Be '5 of 5 services now run v1.2.3.'
        ($run.Steps | Where-Object Name -EQ 'Error-rate watch').Detail | Should -Match '^\d+ samples over '
        ($run.Steps | Where-Object Name -EQ CDN).Detail | Should -Match '^Invalidation \S+ of /\* on '   # the web app changed
        @(Get-SkDeployment staging -ConfigPath $setup.ConfigPath).Version | Sort-Object -Unique | Should -Be 'v1.2.3'
        $record = Get-SkDeploymentLog staging -Kind Deploy -ConfigPath $setup.ConfigPath
        ($record.Id, $record.Status, $record.Version, $record.Action) | Should -Be @($run.Id, 'Succeeded', 'v1.2.3', 'Invoke-SkDeployment')
        $record.Steps.Name | Should -Be $run.Steps.Name
        Get-Titles $before | Should -Be @('🚀 *Deployment Started*', '✅ *Deployment Complete*')
        # "All dashboards normal", measured: every service's metrics since the rollout against the time before it.
        ($run.Steps | Where-Object Name -EQ 'Notice: Deployment Complete').Detail | Should -Match 'Metrics: all normal against the time before the rollout \(\d+ metrics measured, \d+ without data\)'
        ((Get-Delivered | ForEach-Object { $_ } | Select-Object -Last 1).body | ConvertFrom-Json).text | Should -Match '\*Metrics\*: all normal against the time before the rollout'
        # The charts: the watch's error ratio under the runbook's thresholds, and each service's before and after.
        $run.Charts[0].Title | Should -Be 'staging v1.2.3: error ratio during the watch'
        $run.Charts[0].Thresholds.Name | Should -Be @('investigate', 'consider rollback', 'immediate rollback')
        @($run.Charts[0].Series.Name | Sort-Object) | Should -Be @((Get-SkEnvironment staging -ConfigPath $setup.ConfigPath).Services.Name | Sort-Object)
        $run.Charts.Title | Should -Contain 'web: error ratio, before and after the deployment'
        # The reports a CI runner reads: Markdown (its charts beside it), HTML and JUnit from the closed record, and the job's step summary.
        $stem = Join-Path $TestDrive 'reports' "deploy-staging-$($run.Id)"
        $charts = @(1..@($run.Charts).Count | ForEach-Object { "$stem-chart-$_.svg" })
        $run.Reports | Should -Be (@("$stem.md") + $charts + @("$stem.html", "$stem.xml", $summary))
        ([xml](Get-Content -Raw "$stem.xml")).testsuites.testsuite.testcase.name | Should -Be $run.Steps.Name
        ([xml](Get-Content -Raw $charts[0])).svg.'data-points' | Should -Be $run.Charts[0].PointCount
        Get-Content -Raw "$stem.md" | Should -Match ([regex]::Escape("![staging v1.2.3: error ratio during the watch](deploy-staging-$($run.Id)-chart-1.svg)"))
        Get-Content -Raw $summary | Should -Match '^# Deploy v1\.2\.3 to staging: Succeeded'
        Get-Content -Raw $summary | Should -Match '- staging v1\.2\.3: error ratio during the watch \(\d+ points; drawn by Export-SkDeploymentReport -Format Html'
        if ($IsLinux) {
            $seen = Read-InHeadlessChromium -Path "$stem.html"
            $seen.Charts.Label | Should -Be $run.Charts.Title
            foreach ($chart in $seen.Charts) {
                $chart.Points | Should -BeGreaterThan 0 -Because $chart.Label
                $chart.Dots | Should -Be $chart.Points -Because $chart.Label
            }
            $seen.Requests | Should -BeNullOrEmpty
        }
        # Progress: the run's bar, the steps' own bars (rollouts, health, the watch) as its children.
        $parent = @($shown.Progress | Where-Object Activity -EQ 'Invoke-SkDeployment')
        $parent.Count | Should -BeGreaterThan 0
        $parent.ParentActivityId | Sort-Object -Unique | Should -Be -1
        $children = @($shown.Progress | Where-Object Activity -Like 'Rolling out *')
        $children.Count | Should -BeGreaterThan 0
        $children.ParentActivityId | Sort-Object -Unique | Should -Be $parent[0].ActivityId
        # The view: a step table within 80 columns.
        $view = $run | Out-String -Width 80
        $view | Should -Match "Deployment v1\.2\.3 to staging: Succeeded, record $([regex]::Escape($run.Id))"
        $view -split "`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }

    It 'refuses production without a Succeeded staging run, then without an approval, and deploys it after both' {
        $setup = New-TestClusterWithDatabases
        Wait-ErrorRateData -Namespace $setup.Cluster.Production
        $unpromoted = Get-FullyQualifiedErrorId { Invoke-SkDeployment production 1.2.3 -MonitorDuration 5s -ConfigPath $setup.ConfigPath @Production 3>$null }
        $written = Get-MutatingRequest $setup.Cluster.Production -IncludeState
        Invoke-SkDeployment staging 1.2.3 -MonitorDuration 5s -ConfigPath $setup.ConfigPath 3>$null | Out-Null
        $unapproved = $null
        try { Invoke-SkDeployment production 1.2.3 -MonitorDuration 5s -ConfigPath $setup.ConfigPath @Production -ErrorAction Stop 3>$null } catch { $unapproved = $_ }
        $stillNothing = Get-MutatingRequest $setup.Cluster.Production
        Approve-TestRelease -ConfigPath $setup.ConfigPath
        $run = Invoke-SkDeployment production 1.2.3 -MonitorDuration 5s -ConfigPath $setup.ConfigPath @Production 3>$null

        $unpromoted | Should -Be 'PromotionRequired,Skillancer.Deploy.Orchestration.InvokeSkDeploymentCommand'
        $written | Should -BeNullOrEmpty
        $unapproved.FullyQualifiedErrorId | Should -BeLike 'ApprovalRequired,*'
        $unapproved.Exception.Message | Should -Match ([regex]::Escape('Approve-SkDeployment -Environment production -Version v1.2.3'))
        $stillNothing | Should -BeNullOrEmpty
        $run.Status | Should -Be 'Succeeded'
        $run.ApprovedBy | Should -Be 'lead@skillancer.test'
        ($run.Steps | Where-Object Name -EQ Preflight).Status | Should -BeIn 'Succeeded', 'Warning'
        (Get-SkDeploymentLog production -Kind Deploy -ConfigPath $setup.ConfigPath).Status | Should -Be 'Succeeded'
    }

    It 'rolls an erroring version back when the watch fails: exactly the previous images, the Rollback notice, RolledBack, DeploymentFailed' {
        $setup = New-TestClusterWithDatabases
        Wait-ErrorRateData -Namespace $setup.Cluster.Staging
        $before = (Get-Delivered).Count
        $failure = $null
        $output = [Collections.Generic.List[object]]::new()
        # Healthy, but 15% of its requests fail: only the watch sees it. No release branch on GitHub for such a build:
        # the checklist's CI item fails, and staging goes on past it.
        try { Invoke-SkDeployment staging 1.2.3-erroring -MonitorDuration 10s -AcceptPreflightWarnings -ConfigPath $setup.ConfigPath -ErrorAction Stop 3>$null | ForEach-Object { $output.Add($_) } }
        catch { $failure = $_ }
        $run = $output[0]

        $run.Status | Should -Be 'RolledBack'
        ($run.Steps | Where-Object Name -EQ Preflight).Detail | Should -Match 'CiPassing: GitHub has no branch release/v1\.2\.3-erroring.*\(-AcceptPreflightWarnings\)'
        ($run.Steps | Where-Object Name -EQ 'Error-rate watch').Status | Should -Be 'Failed'
        ($run.Steps | Where-Object Undo).Name | Should -Be @('Rollback', 'Health after rollback', 'CDN after rollback', 'Notice: Rollback')
        ($run.Steps | Where-Object Undo).Status | Sort-Object -Unique | Should -Be 'Succeeded'
        $run.RolledBack | Sort-Object | Should -Be @('api-gateway', 'auth-svc', 'market-svc', 'skillpod-svc', 'web')
        @(Get-SkDeployment staging -ConfigPath $setup.ConfigPath).Version | Sort-Object -Unique | Should -Be 'v1.2.2'
        $failure.FullyQualifiedErrorId | Should -Be 'DeploymentFailed,Skillancer.Deploy.Orchestration.InvokeSkDeploymentCommand'
        $failure.Exception.Message | Should -Match "failed at Error-rate watch: .* were rolled back to the images they ran before\. The migrations this run applied stay"
        $failure.Exception.Message | Should -Match ([regex]::Escape("Undo-SkMigration -Environment staging -Name "))
        $failure.Exception.Message | Should -Match ([regex]::Escape("Get-SkDeploymentLog -Environment staging -Id $($run.Id)"))
        (Get-SkDeploymentLog staging -Kind Deploy -ConfigPath $setup.ConfigPath).Status | Should -Be 'RolledBack'
        Get-Titles $before | Should -Be @('🚀 *Deployment Started*', '🔄 *Deployment Rollback*')
    }

    It 'rolls back only the services a -broken rollout changed, and a failing smoke check fails the run the same way' {
        $cluster = New-TestCluster -ProgressDeadlineSeconds 3
        $noDatabase = (Get-Content -Raw $cluster.ConfigPath) -replace '(?m)^    database:\s*\n(      .*\n)+', ''
        $broken = New-TestConfig -Yaml $noDatabase
        $failure = $null
        $output = [Collections.Generic.List[object]]::new()
        try { Invoke-SkDeployment staging 1.2.3-broken -MonitorDuration 5s -AcceptPreflightWarnings -ConfigPath $broken -ErrorAction Stop 3>$null | ForEach-Object { $output.Add($_) } }
        catch { $failure = $_ }
        $run = $output[0]
        # A smoke check that cannot pass: the homepage answers 200, never 418.
        # and a smoke suite (smoke: - command:) that exits 3, as a failing pnpm test:smoke would.
        $smoky = New-TestConfig -Yaml ($noDatabase -replace '(?m)^(    smoke:\s*\n)', "`$1      - name: Teapot`n        request: GET /`n        expectStatus: 418`n      - { name: Smoke suite, command: 'exit 3' }`n")
        # In a fresh pwsh, as a runner's script calls it ($ErrorActionPreference = 'Stop'): rolled back all the same, and the failure is its exit code.
        $child = Invoke-ChildPwsh -Script "`$ErrorActionPreference = 'Stop'; Import-Module '$env:SKDEPLOY_MODULE_PATH'; Invoke-SkDeployment staging 1.2.3 -MonitorDuration 5s -ConfigPath '$smoky' 3>`$null | Out-Null"

        ($run.Steps | Where-Object Name -EQ Rollout).Status | Should -Be 'Failed'
        ($run.Steps | Where-Object Name -EQ Migrations).Detail | Should -Match 'has no database section'
        $run.RolledBack | Sort-Object | Should -Be @('auth-svc', 'market-svc', 'skillpod-svc')   # the gateway and the web app never started
        ($run.Steps | Where-Object Undo).Name | Should -Be @('Rollback', 'Health after rollback', 'Notice: Rollback')   # the web app untouched: no CDN
        $failure.Exception.Message | Should -Match 'failed at Rollout: .*auth-svc, market-svc, skillpod-svc were rolled back'
        @(Get-SkDeployment staging -ConfigPath $broken).Version | Sort-Object -Unique | Should -Be 'v1.2.2'
        $child.ExitCode | Should -Not -Be 0
        $child.Error | Should -Match 'failed at Smoke: .*Teapot'
        $child.Error | Should -Match 'Smoke suite'
        $smoked = Get-SkDeploymentLog staging -Kind Deploy -Last 1 -ConfigPath $smoky
        ($smoked.Version, $smoked.Status, $smoked.ErrorId) | Should -Be @('v1.2.3', 'RolledBack', 'DeploymentFailed')
    }

    It 'refuses a second run while another holds the lock, and goes through a closed window as an emergency, recorded' {
        $setup = New-TestClusterWithDatabases
        # Another runner's lock, as kubectl writes it (the lock's own tests cover its waiting and takeover).
        $lease = @{
            apiVersion = 'coordination.k8s.io/v1'; kind = 'Lease'
            metadata = @{ name = 'skdeploy-staging'; namespace = $setup.Cluster.Staging; annotations = @{ 'skillancer.com/action' = 'Invoke-SkDeployment v1.2.3'; 'skillancer.com/user' = 'runner@skillancer.test' } }
            spec = @{ holderIdentity = 'runner@skillancer.test/ci-7/4242/5eed'; leaseDurationSeconds = 60; acquireTime = [DateTime]::UtcNow.ToString('o'); renewTime = [DateTime]::UtcNow.ToString('o') }
        } | ConvertTo-Json -Depth 5
        $kubectl = if ($env:SKDEPLOY_KUBECTL) { $env:SKDEPLOY_KUBECTL } else { 'kubectl' }
        $lease | & $kubectl --kubeconfig (Get-SandboxInfo).kubeconfigs.admin create -f - | Out-Null
        $locked = Get-FullyQualifiedErrorId { Invoke-SkDeployment staging 1.2.3 -MonitorDuration 5s -ConfigPath $setup.ConfigPath 3>$null }
        & $kubectl --kubeconfig (Get-SandboxInfo).kubeconfigs.admin delete lease skdeploy-staging -n $setup.Cluster.Staging | Out-Null
        # Staging under the schedule, in a blackout around now: closed whatever the day.
        $from = [DateTime]::UtcNow.AddHours(-1).ToString('yyyy-MM-ddTHH:mm:ssZ'); $until = [DateTime]::UtcNow.AddHours(2).ToString('yyyy-MM-ddTHH:mm:ssZ')
        $closed = New-TestConfig -Yaml ((Get-Content -Raw $setup.ConfigPath) -replace '(?m)^    enforceSchedule: false', '    enforceSchedule: true' -replace
            '(?m)^  avoid:\s*\n', "  avoid:`n    blackouts:`n      - { name: Pester freeze, start: $from, end: $until }`n")
        $refused = Get-FullyQualifiedErrorId { Invoke-SkDeployment staging 1.2.3 -MonitorDuration 5s -ConfigPath $closed 3>$null }
        $warnings = $null
        $before = (Get-Delivered).Count
        # With another identity's kubeconfig (-Kubeconfig): the run and its notices' records name it alike.
        $run = Invoke-SkDeployment staging 1.2.3 -MonitorDuration 5s -Emergency -Reason 'INC-7: payments down' -ConfigPath $closed -Kubeconfig (Get-SandboxInfo).kubeconfigs.admin -WarningVariable warnings 3>$null
        $told = Get-Delivered | ForEach-Object { $_ } | Select-Object -Skip $before

        $locked | Should -BeLike 'DeploymentLocked,*'
        $refused | Should -BeLike 'DeploymentWindowClosed,*'
        $run.Status | Should -Be 'Succeeded'
        $run.EmergencyReason | Should -Be 'INC-7: payments down'
        ($run.Steps | Where-Object Name -EQ 'Error-rate watch').Detail | Should -Match 'over 10s'   # the runbook's extra monitoring period: doubled
        $record = Get-SkDeploymentLog staging -Kind Deploy -ConfigPath $closed
        $record.EmergencyReason | Should -Be 'INC-7: payments down'
        ($run.By, $record.Who.UserName) | Should -Be @('sandbox-admin', 'sandbox-admin')
        $notices = @(Get-SkDeploymentLog staging -Kind Notice -ConfigPath $closed)
        $notices.Count | Should -Be 3   # Started, Emergency, Complete
        $notices.Who.UserName | Sort-Object -Unique | Should -Be 'sandbox-admin'
        $record.Notes | Should -Contain 'Post-mortem required: the emergency names an incident (INC-7).'
        ($run.Steps | Where-Object Name -EQ 'Notice: Emergency').Detail | Should -Match 'sent to \$SKDEPLOY_SANDBOX_ONCALL_WEBHOOK_URL \(on-call and the engineering lead\)'
        # On-call's webhook got the emergency; the team's got Started and Complete.
        ($told | Where-Object path -Like '*/B0ONCALL/*' | ForEach-Object { ($_.body | ConvertFrom-Json).text }) | Should -Match '^🚨 \*Emergency Deployment\*'
        @($told | Where-Object path -Like '*/B0NOTICES/*').Count | Should -Be 2
        "$warnings" | Should -Match 'Emergency change to staging: INC-7: payments down'
    }

    It 'resumes a run killed during its watch: the same record, no step done again, no notice sent twice, only the rest of the watch' {
        $setup = New-TestClusterWithDatabases
        $config = New-ShortLeaseConfig $setup.ConfigPath
        Wait-ErrorRateData -Namespace $setup.Cluster.Staging
        $nothing = Get-FullyQualifiedErrorId { Invoke-SkDeployment staging -Resume -ConfigPath $config 3>$null }
        $before = (Get-Delivered).Count
        $runner = Start-ChildPwsh -Script "Import-Module '$env:SKDEPLOY_MODULE_PATH'; Invoke-SkDeployment staging 1.2.3 -MonitorDuration 20s -ConfigPath '$config' 3>`$null | Out-Null"
        $watching = Wait-RunnerRecord $runner $config { param($record) $record.Steps | Where-Object { $_.Name -eq 'Error-rate watch' -and $_.Status -eq 'Running' } }
        # Two runs at once: the second finds the environment locked by the first, and changes nothing.
        $locked = Get-FullyQualifiedErrorId { Invoke-SkDeployment staging 1.2.3 -MonitorDuration 5s -ConfigPath $config 3>$null }
        $record = Stop-Runner $runner $config $watching
        $changes = @(Get-MutatingRequest $setup.Cluster.Staging).Count
        $wrong = Get-FullyQualifiedErrorId { Invoke-SkDeployment staging 1.2.4 -Resume -ConfigPath $config 3>$null }
        $run = Invoke-SkDeployment staging -Resume -ConfigPath $config 3>$null

        $locked | Should -BeLike 'DeploymentLocked,*'
        $record.Status | Should -Be 'Running'
        $wrong | Should -BeLike 'ResumeVersionMismatch,*'
        $run.Id | Should -Be $record.Id
        $run.Status | Should -Be 'Succeeded'
        $run.Steps.Name | Should -Be @('Preflight', 'Notice: Deployment Started', 'Migrations', 'Rollout', 'Health', 'Smoke', 'Error-rate watch', 'CDN', 'Notice: Deployment Complete')
        ($run.Steps | Select-Object -First 6).Detail | ForEach-Object { $_ | Should -Match '^Before the resume: ' }
        ($run.Steps | Where-Object Name -EQ 'Error-rate watch').Detail | Should -Match 'resumed: the last \d+s of 20s'
        # After the kill, nothing but the CDN's invalidation (not a cluster request) changed anything: no rollout again.
        @(Get-MutatingRequest $setup.Cluster.Staging).Count | Should -Be $changes
        Get-Titles $before | Should -Be @('🚀 *Deployment Started*', '✅ *Deployment Complete*')
        $logged = Get-SkDeploymentLog staging -Id $record.Id -ConfigPath $config
        $logged.Status | Should -Be 'Succeeded'
        $logged.Notes -join "`n" | Should -Match 'Resumed by deployer@skillancer\.test at .*: took the lock over from'
        $logged.Notes -join "`n" | Should -Match 'Resumed: 6 step\(s\) the earlier process had ended were not done again; it had stopped in Error-rate watch\.'
        $nothing | Should -BeLike 'NothingToResume,*'
    }

    It 'resumes a run killed during its rollout: the services it had set are waited for, never set twice, and the rest rolled out' {
        $setup = New-TestClusterWithDatabases
        $config = New-ShortLeaseConfig $setup.ConfigPath
        $runner = Start-ChildPwsh -Script "Import-Module '$env:SKDEPLOY_MODULE_PATH'; Invoke-SkDeployment staging 1.2.3 -MonitorDuration 5s -ConfigPath '$config' 3>`$null | Out-Null"
        # Killed once the first deployment's image is set: the backend tier is then rolling out.
        $patches = { @(Get-MutatingRequest $setup.Cluster.Staging | Where-Object { $_.method -eq 'PATCH' -and $_.path -match '/deployments/' }) }
        $record = Stop-RunnerWhen $runner $config { (& $patches).Count -gt 0 }
        $run = Invoke-SkDeployment staging -Resume -ConfigPath $config 3>$null

        $record.PreviousImages.'auth-svc' | Should -Match 'auth-svc:v1\.2\.2$'
        $run.Status | Should -Be 'Succeeded'
        ($run.Steps | Where-Object Name -EQ Rollout).Detail | Should -Not -Match 'Before the resume'
        # Each deployment's image set exactly once, by one process or the other.
        & $patches | ForEach-Object { ($_.path -split '/')[-1] } | Group-Object | Where-Object Count -NE 1 | Should -BeNullOrEmpty
        @(& $patches).Count | Should -Be 5
        @(Get-SkDeployment staging -ConfigPath $config).Version | Sort-Object -Unique | Should -Be 'v1.2.3'
    }

    It 'resumes a run killed after a step failed: the rollback is carried out, to the images the record kept' {
        $cluster = New-TestCluster -ProgressDeadlineSeconds 3
        $config = New-ShortLeaseConfig (New-TestConfig -Yaml ((Get-Content -Raw $cluster.ConfigPath) -replace '(?m)^    database:\s*\n(      .*\n)+', ''))
        $runner = Start-ChildPwsh -Script "Import-Module '$env:SKDEPLOY_MODULE_PATH'; Invoke-SkDeployment staging 1.2.3-broken -MonitorDuration 5s -AcceptPreflightWarnings -ConfigPath '$config' 3>`$null | Out-Null"
        # Killed as soon as the record says the rollout failed: the rollback has just begun, or not yet.
        $record = Stop-RunnerWhen $runner $config { param($record) $record.Steps | Where-Object Status -EQ 'Failed' }
        $failure = $null
        $output = [Collections.Generic.List[object]]::new()
        try { Invoke-SkDeployment staging -Resume -ConfigPath $config -ErrorAction Stop 3>$null | ForEach-Object { $output.Add($_) } }
        catch { $failure = $_ }
        $run = $output[0]

        $run | Should -Not -BeNullOrEmpty -Because "the resumed run must be written (it ended with: $failure)"
        ($record.Steps | Where-Object Status -EQ 'Failed').Name | Should -Be 'Rollout'
        $run.Status | Should -Be 'RolledBack'
        ($run.Steps | Where-Object Name -EQ Rollout).Detail | Should -Match '^Before the resume: '
        ($run.Steps | Where-Object Undo).Name | Should -Contain 'Rollback'
        $failure.FullyQualifiedErrorId | Should -BeLike 'DeploymentFailed,*'
        @(Get-SkDeployment staging -ConfigPath $config).Version | Sort-Object -Unique | Should -Be 'v1.2.2'
        (Get-SkDeploymentLog staging -Id $record.Id -ConfigPath $config).Status | Should -Be 'RolledBack'
    }

    It 'plans with -WhatIf: every step with what it would change, no mutating request, no record' {
        $setup = New-TestClusterWithDatabases
        $plan = Invoke-SkDeployment staging 1.2.3 -WhatIf -ConfigPath $setup.ConfigPath 3>$null

        $plan.WhatIf | Should -BeTrue
        $plan.Steps.Status | Sort-Object -Unique | Should -Be @('Planned')
        ($plan.Steps | Where-Object Name -EQ Rollout).Detail | Should -Match 'auth-svc v1\.2\.2 -> v1\.2\.3; .*web v1\.2\.2 -> v1\.2\.3'
        ($plan.Steps | Where-Object Name -EQ Migrations).Detail | Should -Match '^Would apply 5, each in its own transaction: 20261101090000_init'
        ($plan.Steps | Where-Object Name -EQ 'Error-rate watch').Detail | Should -Be 'Would watch the error rate for 30m.'
        ($plan | Out-String -Width 80) | Should -Match 'Plan \(-WhatIf\) of v1\.2\.3 to staging: nothing was changed'
        Get-MutatingRequest $setup.Cluster.Staging -IncludeState | Should -BeNullOrEmpty
        Get-SkDeploymentLog staging -ConfigPath $setup.ConfigPath | Should -BeNullOrEmpty
    }

    It 'sends the web app through the progressive canary with -Canary: promoted when good; an aborted canary fails the run and rolls the rest back' {
        $cluster = New-TestCluster
        Invoke-RestMethod -Method Put -Uri "$((Get-SandboxInfo).baseUrl)sandbox/traffic/$($cluster.Staging)" -Body '{"requestsPerPodPerSecond":100}' -ContentType 'application/json' | Out-Null
        # No database (the migrations have their own tests), and a short analysis for staging's web canary.
        $yaml = (Get-Content -Raw $cluster.ConfigPath) -replace '(?m)^    database:\s*\n(      .*\n)+', ''
        $config = New-TestConfig -Yaml ([regex]::new('(?m)^          canarySubset: canary\s*$').Replace($yaml,
            "          canarySubset: canary`n          analysis: { steps: [25, 100], stepDuration: 4s, interval: 4s, minRequests: 50 }", 1))
        Wait-ErrorRateData -Namespace $cluster.Staging

        $run = Invoke-SkDeployment staging 1.2.3 -Canary -MonitorDuration 5s -AcceptPreflightWarnings -ConfigPath $config 3>$null
        $failure = $null
        $output = [Collections.Generic.List[object]]::new()
        try { Invoke-SkDeployment staging 1.2.4-faulty -Canary -MonitorDuration 5s -AcceptPreflightWarnings -ConfigPath $config -ErrorAction Stop 3>$null | ForEach-Object { $output.Add($_) } }
        catch { $failure = $_ }
        $aborted = $output[0]

        $run.Status | Should -Be 'Succeeded'
        $run.Steps.Name | Should -Contain 'Canary'
        @($run.Steps.Name).IndexOf('Canary') | Should -Be (@($run.Steps.Name).IndexOf('Rollout') + 1)
        ($run.Steps | Where-Object Name -EQ Rollout).Detail | Should -Be '4 of 4 services now run v1.2.3.'
        ($run.Steps | Where-Object Name -EQ Canary).Detail | Should -Match '^web: promoted after 1 step\(s\) \(25%\) and \d+ analyses\.'
        @(Get-SkDeployment staging -ConfigPath $config).Version | Sort-Object -Unique | Should -Be 'v1.2.3'
        $aborted.Status | Should -Be 'RolledBack'
        ($aborted.Steps | Where-Object Name -EQ Canary).Status | Should -Be 'Failed'
        ($aborted.Steps | Where-Object Name -EQ Canary).Detail | Should -Match '^web: Aborted at 25%: .*error ratio'
        $aborted.RolledBack | Sort-Object | Should -Be @('api-gateway', 'auth-svc', 'market-svc', 'skillpod-svc')
        @(Get-SkDeployment staging -ConfigPath $config).Version | Sort-Object -Unique | Should -Be 'v1.2.3'
        $failure.FullyQualifiedErrorId | Should -BeLike 'DeploymentFailed,*'
        Get-SkDeploymentLog staging -Kind Canary -ConfigPath $config | Should -BeNullOrEmpty   # the canaries are in the runs' records
        # ...and so are their charts, with the run's own: the aborted canary's marked, and no watch (the run stopped before it).
        $run.Charts.Title | Should -Contain 'web v1.2.3: error ratio, canary against stable'
        $run.Charts.Title | Should -Contain 'staging v1.2.3: error ratio during the watch'
        ($aborted.Charts | Where-Object Title -EQ 'web v1.2.4-faulty: error ratio, canary against stable').Marks.Label | Should -Contain 'aborted'
        $aborted.Charts.Title | Should -Not -Contain 'staging v1.2.4-faulty: error ratio during the watch'
        (Get-SkDeploymentLog staging -Id $aborted.Id -ConfigPath $config).Charts.Title | Should -Be $aborted.Charts.Title
    }

    It 'refuses -Canary without a canary section, a bad -MonitorDuration and a -ReportPath that is a file before anything is asked' {
        $setup = New-TestClusterWithDatabases
        $file = Join-Path $TestDrive 'a-file.txt'
        Set-Content -LiteralPath $file -Value 'not a folder'
        Get-FullyQualifiedErrorId { Invoke-SkDeployment staging 1.2.3 -ReportPath $file -ConfigPath $setup.ConfigPath } | Should -BeLike 'InvalidReportPath,*'
        $noCanary = New-TestConfig -Yaml ((Get-Content -Raw $setup.ConfigPath) -replace '(?m)^        canary:\s*\n(          .*\n)+', '')
        Get-FullyQualifiedErrorId { Invoke-SkDeployment staging 1.2.3 -Canary -ConfigPath $noCanary } | Should -BeLike 'CanaryNotConfigured,*'
        $badAnalysis = New-TestConfig -Yaml ([regex]::new('(?m)^          canarySubset: canary\s*$').Replace((Get-Content -Raw $setup.ConfigPath), "          canarySubset: canary`n          analysis: { stepDuration: 5s, interval: 1m }", 1))
        Get-FullyQualifiedErrorId { Invoke-SkDeployment staging 1.2.3 -Canary -ConfigPath $badAnalysis } | Should -BeLike 'ConfigInvalid,*'
        $plan = Invoke-SkDeployment staging 1.2.3 -Canary -WhatIf -ConfigPath $setup.ConfigPath 3>$null
        ($plan.Steps | Where-Object Name -EQ Rollout).Detail | Should -Not -Match 'web'
        ($plan.Steps | Where-Object Name -EQ Canary).Detail | Should -Be 'Would run web v1.2.3 as a progressive canary: 5%, 25%, 50%, 100%, 1h a step, analysed every 1m against stable.'
        Get-FullyQualifiedErrorId { Invoke-SkDeployment staging 1.2.3 -MonitorDuration 1s -ConfigPath $setup.ConfigPath } | Should -BeLike 'InvalidTimeout,*'
        Get-FullyQualifiedErrorId { Invoke-SkDeployment staging 1.2.x -ConfigPath $setup.ConfigPath } | Should -BeLike 'InvalidVersion,*'
        Get-MutatingRequest $setup.Cluster.Staging -IncludeState | Should -BeNullOrEmpty
    }
}
