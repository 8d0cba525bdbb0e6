# The deployment journal (issue 13): a record per cluster change in the environment's namespace, read back with
# Get-SkDeploymentLog, written out with Export-SkDeploymentReport, and seen with the real kubectl.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Kube = 'Skillancer.Deploy.Kubernetes'
    $script:StateCmdlets = 'Skillancer.Deploy.State'

    function Invoke-Kubectl {
        param([Parameter(Mandatory)] [string[]] $Arguments, [string] $Kubeconfig = (Get-SandboxInfo).kubeconfigs.admin)
        kubectl --kubeconfig $Kubeconfig --cache-dir (Join-Path $TestDrive 'kubectl-cache') @Arguments
        if ($LASTEXITCODE -ne 0) { throw "kubectl $Arguments failed with exit code $LASTEXITCODE" }
    }

    function Get-LeaseHolder([string] $Namespace) {
        $lease = Invoke-Kubectl -Arguments 'get', 'leases', '-n', $Namespace, '-o', 'json' | ConvertFrom-Json
        @($lease.items | Where-Object { $_.metadata.name -eq 'skdeploy-staging' } | ForEach-Object { $_.spec.PSObject.Properties['holderIdentity'].Value } | Where-Object { $_ })
    }

    function Start-HeldRollout($Cluster) {
        <# In a thread job: a rollout whose pods never become ready, so it holds the lock while it waits; returns once its record is open. #>
        $job = Start-ThreadJob -ArgumentList $env:SKDEPLOY_MODULE_PATH, $Cluster.ConfigPath -ScriptBlock {
            param($module, $config)
            Import-Module $module
            Start-SkRollout staging 1.2.4-broken -Service web -Timeout 5m -ConfigPath $config
        }
        try { Wait-HolderRunning $Cluster.Staging $Cluster.ConfigPath }
        catch { $job | Stop-Job; $job | Remove-Job -Force; throw }
        $job
    }

    function Wait-HolderRunning([string] $Namespace, [string] $ConfigPath) {
        # The holder takes the lock, then opens its record: wait for both, so it is killed or stopped mid-rollout.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Get-LeaseHolder $Namespace) -or -not (Get-SkDeploymentLog staging -ConfigPath $ConfigPath | Where-Object Status -EQ 'Running')) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "No action held the lock of $Namespace with a Running record within 60 s." }
            Start-Sleep -Milliseconds 100
        }
    }

    function New-ShortLeaseConfig([string] $ConfigPath) {
        # A two-second lease, so a dead holder's lock expires quickly.
        $yaml = (Get-Content -Raw $ConfigPath) -replace '(?m)^defaults:\s*$', "defaults:`n  lock:`n    leaseDuration: 2s"
        New-TestConfig -Yaml $yaml
    }
}

Describe 'The deployment journal' {
    It 'records a rollout with who did it; Get-SkDeploymentLog reads it and kubectl shows the ConfigMap' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath | Out-Null
        Undo-SkDeployment staging web -ConfigPath $cluster.ConfigPath | Out-Null

        $log = @(Get-SkDeploymentLog staging -ConfigPath $cluster.ConfigPath)
        $log.Kind | Should -Be @('Rollback', 'Rollout')
        $log.Status | Should -Be @('Succeeded', 'Succeeded')
        $log[1].Version | Should -Be 'v1.2.3'
        $log[1].Services | Should -Be @('web')
        $log[1].Action | Should -Be 'Start-SkRollout'
        $log[0].Recovery | Should -BeTrue
        $log.Who.UserName | Sort-Object -Unique | Should -Be 'deployer@skillancer.test'
        $log[1].Who.Verified | Should -BeTrue
        $log[1].Steps.Name | Should -Be 'rollout web'
        $log[1].Steps.Status | Should -Be 'Complete'
        @(Get-SkDeploymentLog staging -Kind Rollout -ConfigPath $cluster.ConfigPath).Id | Should -Be $log[1].Id
        @(Get-SkDeploymentLog staging -Version 1.2.3 -ConfigPath $cluster.ConfigPath).Id | Should -Be $log[1].Id
        @(Get-SkDeploymentLog staging -Last 1 -ConfigPath $cluster.ConfigPath).Id | Should -Be $log[0].Id
        (Get-SkDeploymentLog staging -Id $log[1].Id -ConfigPath $cluster.ConfigPath).Kind | Should -Be 'Rollout'
        # -Kind offers exactly the kinds a record has.
        (Get-Command Get-SkDeploymentLog).Parameters['Kind'].Attributes.ValidValues | Should -Be ([Enum]::GetNames($log[0].Kind.GetType()))

        $maps = Invoke-Kubectl -Arguments 'get', 'configmaps', '-n', $cluster.Staging, '-l', 'app.kubernetes.io/component=deployment-record', '-o', 'name'
        @($maps) | Sort-Object | Should -Be @($log.Id | ForEach-Object { "configmap/skdeploy-staging-$_" } | Sort-Object)
        Invoke-Kubectl -Arguments 'get', 'configmaps', '-n', $cluster.Staging, '-l', "skillancer.com/status=succeeded,skillancer.com/kind=rollout", '-o', 'name' |
            Should -Be "configmap/skdeploy-staging-$($log[1].Id)"
    }

    It 'records every kind of cluster change with its status, and keeps no secret: the sandbox''s tokens appear in no record' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath | Out-Null
        Start-SkCanary staging web 1.2.4 -Weight 10 -ConfigPath $cluster.ConfigPath | Out-Null
        Stop-SkCanary staging web -ConfigPath $cluster.ConfigPath | Out-Null
        Publish-SkFrontend staging Kubernetes -Version 1.2.5 -ConfigPath $cluster.ConfigPath | Out-Null
        $stored = Invoke-Kubectl -Arguments 'get', 'configmaps', '-n', $cluster.Staging, '-l', 'app.kubernetes.io/component=deployment-record', '-o', 'json'
        $secrets = @((Get-SandboxInfo).environment.PSObject.Properties.Value | Where-Object { $_ -match 'Bearer|token|hooks' }) +
            @(Get-ChildItem (Split-Path (Get-SandboxInfo).kubeconfig) -Filter 'kubeconfig*' | Select-String -Pattern '^\s*token:\s*(\S+)' | ForEach-Object { $_.Matches[0].Groups[1].Value })
        $secrets.Count | Should -BeGreaterThan 3
        $log = @(Get-SkDeploymentLog staging -ConfigPath $cluster.ConfigPath)
        $log.Kind | Should -Be @('Frontend', 'Canary', 'Canary', 'Rollout')
        $log.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        ($log[0].Version, $log[0].Steps.Name) | Should -Be @('v1.2.5', 'rollout web')
        # Stop-SkCanary names no version; its record takes the canary's.
        ($log[1].Action, $log[1].Version) | Should -Be @('Stop-SkCanary', 'v1.2.4')
        foreach ($secret in $secrets) { ($stored -join "`n").Contains(($secret -replace '^Bearer ', '')) | Should -BeFalse -Because 'a record never holds a secret' }
    }

    It 'records the actions that do not change the cluster too (flag, CDN, migrations, notice, approval), and keeps none of their secrets' {
        $cluster = New-TestCluster
        $database = New-TestDatabase
        $variable = 'SKDEPLOY_PESTER_JOURNAL_' + [Guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
        [Environment]::SetEnvironmentVariable($variable, $database.Url)
        $config = New-TestConfig -Yaml ((Get-Content -Raw $cluster.ConfigPath) -replace 'connectionStringEnv: \S+', "connectionStringEnv: $variable")
        Set-SkFeatureFlag staging new_dashboard -Enabled -Version 1.2.3 -ConfigPath $config | Out-Null
        Clear-SkCdnCache staging -Path '/*' -Version 1.2.3 -ConfigPath $config | Out-Null
        Invoke-SkMigration staging -Version 1.2.3 -Path (Join-Path $PSScriptRoot '..' '..' 'examples' 'prisma' 'migrations') -ConfigPath $config -WarningAction SilentlyContinue | Out-Null
        New-SkDeploymentNotice -Kind Complete -Environment staging -Version 1.2.3 -ConfigPath $config | Send-SkNotification -ConfigPath $config | Out-Null
        Approve-TestRelease -ConfigPath $config

        $log = @(Get-SkDeploymentLog staging -ConfigPath $config)
        $log.Kind | Should -Be @('Notice', 'Database', 'Cdn', 'Flag')
        $log.Version -replace '^v' | Sort-Object -Unique | Should -Be '1.2.3'
        $log.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        $log.Who.UserName | Sort-Object -Unique | Should -Be 'deployer@skillancer.test'
        ($log | Where-Object Kind -EQ 'Database').Steps.Name | Should -Contain 'migrate 20261101090000_init'
        ($log | Where-Object Kind -EQ 'Flag').Steps.Status | Should -Be 'On'
        (Get-SkDeploymentLog production -Kind Approval -ConfigPath $config).Who.UserName | Should -Be 'lead@skillancer.test'
        # The flag API's token, the webhook, the AWS key, the database URL and every kubeconfig token: in no record, no approval.
        $info = Get-SandboxInfo
        $secrets = @(
            ($info.environment.PSObject.Properties.Value | Where-Object { $_ -match 'Bearer|token|hooks' }) -replace '^Bearer ', ''
            ((Get-Content $info.awsCredentialsFile) -match '^aws_secret_access_key' -split '=', 2)[1].Trim()
            $database.Url
            Get-ChildItem (Split-Path $info.kubeconfig) -Filter 'kubeconfig*' | Select-String -Pattern '^\s*token:\s*(\S+)' | ForEach-Object { $_.Matches[0].Groups[1].Value })
        $stored = foreach ($namespace in $cluster.Staging, $cluster.Production) {
            (Invoke-Kubectl -Arguments 'get', 'configmaps,secrets', '-n', $namespace, '-l', 'app.kubernetes.io/managed-by=skillancer-deploy', '-o', 'json') -join "`n"
        }
        $text = $stored -join "`n"
        # Secrets' data is base64, as the API stores it: decode it to sweep it too.
        $decoded = ($stored | ConvertFrom-Json).items | Where-Object kind -EQ 'Secret' | ForEach-Object { $_.data.PSObject.Properties.Value } |
            ForEach-Object { [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($_)) }
        $decoded = $decoded -join "`n"
        $decoded | Should -Match 'lead@skillancer\.test'
        foreach ($secret in $secrets) { "$text`n$decoded".Contains($secret) | Should -BeFalse -Because 'no record or approval holds a secret' }
    }

    It 'exports a record as Markdown, JSON and a JUnit file; -WhatIf writes no file' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -Service web, api-gateway -ConfigPath $cluster.ConfigPath | Out-Null
        $record = Get-SkDeploymentLog staging -Last 1 -ConfigPath $cluster.ConfigPath

        $markdown = $record | Export-SkDeploymentReport
        ($markdown -split "`n")[0] | Should -Be '# Rollout v1.2.3 to staging: Succeeded'
        $markdown | Should -Match '\| Who \| deployer@skillancer\.test, groups '
        $markdown | Should -Match '\| \| rollout api-gateway \| Complete \|'
        ((Export-SkDeploymentReport staging -Id $record.Id -Format Json -ConfigPath $cluster.ConfigPath) | ConvertFrom-Json).id | Should -Be $record.Id

        $file = Join-Path $TestDrive 'deploy.xml'
        $record | Export-SkDeploymentReport -Format JUnit -Path $file -WhatIf
        Test-Path $file | Should -BeFalse
        ($record | Export-SkDeploymentReport -Format JUnit -Path $file).FullName | Should -Be $file
        $suite = ([xml](Get-Content -Raw $file)).testsuites.testsuite
        $suite.tests | Should -Be '2'
        $suite.failures | Should -Be '0'
        $suite.testcase.name | Should -Be @('rollout api-gateway', 'rollout web')

        # A rollout measured nothing: its page has the timeline and no chart. A folder that does not exist is a clear error.
        $page = Join-Path $TestDrive 'rollout.html'
        $record | Export-SkDeploymentReport -Format Html -Path $page -WhatIf
        Test-Path $page | Should -BeFalse
        ($record | Export-SkDeploymentReport -Format Html -Path $page).FullName | Should -Be $page
        Get-Content -Raw $page | Should -Match '<td>rollout api-gateway</td>'
        Get-Content -Raw $page | Should -Not -Match '<svg'
        $missing = Join-Path $TestDrive 'no-such-folder' 'r.html'
        $failure = $null
        try { $record | Export-SkDeploymentReport -Format Html -Path $missing -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'ReportNotWritten,Skillancer.Deploy.State.ExportSkDeploymentReportCommand'
        $failure.Exception.Message | Should -Match 'Give a -Path in a folder that exists'
    }

    It 'writes no record under -WhatIf' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -WhatIf -ConfigPath $cluster.ConfigPath | Out-Null
        Start-SkCanary staging web 1.2.4 -WhatIf -ConfigPath $cluster.ConfigPath | Out-Null
        Get-SkDeploymentLog staging -ConfigPath $cluster.ConfigPath | Should -BeNullOrEmpty
        Get-MutatingRequest -Namespace $cluster.Staging -IncludeState | Should -BeNullOrEmpty
    }

    It 'refuses bad queries with InvalidJournalQuery and an unknown id with DeploymentRecordNotFound' {
        $cluster = New-TestCluster
        Get-FullyQualifiedErrorId { Get-SkDeploymentLog staging -Last 0 -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidJournalQuery,$StateCmdlets.GetSkDeploymentLogCommand"
        Get-FullyQualifiedErrorId { Get-SkDeploymentLog staging -Id 'yesterday' -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidJournalQuery,$StateCmdlets.GetSkDeploymentLogCommand"
        Get-FullyQualifiedErrorId { Get-SkDeploymentLog staging -Id 20261203-141502-9f3a -ConfigPath $cluster.ConfigPath } | Should -Be "DeploymentRecordNotFound,$StateCmdlets.GetSkDeploymentLogCommand"
        Get-FullyQualifiedErrorId { Export-SkDeploymentReport staging -Id 20261203-141502-9f3a -ConfigPath $cluster.ConfigPath } | Should -Be "DeploymentRecordNotFound,$StateCmdlets.ExportSkDeploymentReportCommand"
    }
}

Describe 'Two actions at once' {
    It 'runs exactly one: the second gets DeploymentLocked naming the first; stopping the first (Ctrl+C) records it Abandoned and frees the lock' {
        $cluster = New-TestCluster
        $first = Start-HeldRollout $cluster
        try {
            $failure = $null
            try { Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath -ErrorAction Stop } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -Be "DeploymentLocked,$Kube.StartSkRolloutCommand"
            "$failure" | Should -Match 'deployer@skillancer\.test \(Start-SkRollout v1\.2\.4-broken, since '
        }
        finally {
            $first | Stop-Job
            $first | Remove-Job -Force
        }

        Get-LeaseHolder $cluster.Staging | Should -BeNullOrEmpty
        $record = Get-SkDeploymentLog staging -ConfigPath $cluster.ConfigPath
        $record.Version | Should -Be 'v1.2.4-broken'
        $record.Status | Should -Be 'Abandoned'
    }

    It 'takes over from a holder killed with SIGKILL once its lease expired; the journal shows both' {
        $cluster = New-TestCluster
        $config = New-ShortLeaseConfig $cluster.ConfigPath
        $holder = Start-ChildPwsh -Script "Import-Module '$env:SKDEPLOY_MODULE_PATH'; Start-SkRollout staging 1.2.4-broken -Service web -Timeout 5m -ConfigPath '$config'"
        try { Wait-HolderRunning $cluster.Staging $config }
        finally { $holder.Kill(); $holder.WaitForExit(); $holder.Dispose() }   # SIGKILL: no release, no closing record

        $result = Start-SkRollout staging 1.2.3 -Service web -LockTimeout 30s -ConfigPath $config -WarningVariable warnings 3>$null
        $result.Status | Should -Be 'Complete'
        ($warnings -join "`n") | Should -Match 'taken over'
        $log = @(Get-SkDeploymentLog staging -ConfigPath $config)
        $log.Version | Should -Be @('v1.2.3', 'v1.2.4-broken')
        $log.Status | Should -Be @('Succeeded', 'Abandoned')
        $log[0].Notes | Should -Match "^Took the lock over from deployer@skillancer\.test \(Start-SkRollout v1\.2\.4-broken.*$($log[1].Id)"
        $log[1].Notes | Should -Match "took its expired lock over \(record $($log[0].Id)\)"
    }
}

Describe 'Unlock-SkEnvironment' {
    It 'refuses a live holder without -Force, breaks it with -Force, journals the break and abandons the holder''s record' {
        $cluster = New-TestCluster
        $first = Start-HeldRollout $cluster
        try {
            Get-FullyQualifiedErrorId { Unlock-SkEnvironment staging -ConfigPath $cluster.ConfigPath } | Should -Be "UnlockRequiresForce,$StateCmdlets.UnlockSkEnvironmentCommand"
            Unlock-SkEnvironment staging -Force -WhatIf -ConfigPath $cluster.ConfigPath
            Get-LeaseHolder $cluster.Staging | Should -Not -BeNullOrEmpty
            $unlocked = Unlock-SkEnvironment staging -Force -ConfigPath $cluster.ConfigPath -WarningVariable warnings 3>$null
            $unlocked.BrokenHolder.User | Should -Be 'deployer@skillancer.test'
            Get-LeaseHolder $cluster.Staging | Should -BeNullOrEmpty
            ($warnings -join "`n") | Should -Match 'is broken'
        }
        finally {
            $first | Stop-Job
            $first | Remove-Job -Force
        }

        $log = @(Get-SkDeploymentLog staging -ConfigPath $cluster.ConfigPath)
        $override = $log | Where-Object Kind -EQ 'Unlock'
        $override.Status | Should -Be 'Succeeded'
        $override.Recovery | Should -BeTrue
        ($log | Where-Object Kind -EQ 'Rollout').Id | Should -Be $unlocked.AbandonedRecord
        ($log | Where-Object Kind -EQ 'Rollout').Status | Should -Be 'Abandoned'
    }

    It 'leaves a free lock alone and writes nothing' {
        $cluster = New-TestCluster
        (Unlock-SkEnvironment staging -Force -ConfigPath $cluster.ConfigPath).BrokenHolder | Should -BeNullOrEmpty
        Get-SkDeploymentLog staging -ConfigPath $cluster.ConfigPath | Should -BeNullOrEmpty
    }
}
