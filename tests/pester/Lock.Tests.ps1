# The environment's lock (issue 13): a Lease named skdeploy-<environment> that every cluster change takes, seen with
# the real kubectl. Another holder is written as a Lease with the sandbox's admin kubeconfig, as another runner's would be.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Kube = 'Skillancer.Deploy.Kubernetes'

    function Invoke-Kubectl {
        param([Parameter(Mandatory)] [string[]] $Arguments, [string] $Kubeconfig = (Get-SandboxInfo).kubeconfigs.admin, [string] $InputText)
        $cache = Join-Path $TestDrive 'kubectl-cache'
        if ($InputText) { $InputText | kubectl --kubeconfig $Kubeconfig --cache-dir $cache @Arguments }
        else { kubectl --kubeconfig $Kubeconfig --cache-dir $cache @Arguments }
        if ($LASTEXITCODE -ne 0) { throw "kubectl $Arguments failed with exit code $LASTEXITCODE" }
    }

    function New-HeldLease {
        <# Writes the Lease another runner holds: renewed -RenewedSecondsAgo, for -DurationSeconds. #>
        param([Parameter(Mandatory)] [string] $Namespace, [int] $RenewedSecondsAgo = 0, [int] $DurationSeconds = 60)
        $renewed = [DateTime]::UtcNow.AddSeconds(-$RenewedSecondsAgo).ToString('yyyy-MM-ddTHH:mm:ss.ffffffZ')
        $lease = @{
            apiVersion = 'coordination.k8s.io/v1'; kind = 'Lease'
            metadata = @{ name = 'skdeploy-staging'; namespace = $Namespace; annotations = @{ 'skillancer.com/action' = 'Start-SkRollout'; 'skillancer.com/user' = 'runner@skillancer.test' } }
            spec = @{ holderIdentity = 'runner@skillancer.test/ci-7/4242/5eed'; leaseDurationSeconds = $DurationSeconds; acquireTime = $renewed; renewTime = $renewed }
        } | ConvertTo-Json -Depth 5
        Invoke-Kubectl -Arguments 'create', '-f', '-' -InputText $lease | Out-Null
    }

    function Get-DeploymentChange([string] $Namespace) {
        @(Get-MutatingRequest -Namespace $Namespace | Where-Object { $_.path -match '/deployments/' })
    }
}

Describe 'The environment lock' {
    It 'is taken by a rollout and released after it: kubectl shows the Lease with no holder' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath | Out-Null
        $lease = Invoke-Kubectl -Arguments 'get', 'lease', 'skdeploy-staging', '-n', $cluster.Staging, '-o', 'json' | ConvertFrom-Json
        $lease.metadata.labels.'app.kubernetes.io/managed-by' | Should -Be 'skillancer-deploy'
        $lease.spec.PSObject.Properties['holderIdentity'] | Should -BeNullOrEmpty
        $lease.metadata.annotations.'skillancer.com/user' | Should -Be 'deployer@skillancer.test'
        $lease.metadata.annotations.'skillancer.com/action' | Should -Be 'Start-SkRollout v1.2.3'
        (Invoke-Kubectl -Arguments 'get', 'leases', '-n', $cluster.Staging) -join "`n" | Should -Match 'skdeploy-staging'
    }

    It 'refuses a second action with DeploymentLocked, naming the holder, and changes nothing' {
        $cluster = New-TestCluster
        New-HeldLease -Namespace $cluster.Staging
        $failure = $null
        try { Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be "DeploymentLocked,$Kube.StartSkRolloutCommand"
        "$failure" | Should -Match 'runner@skillancer\.test \(Start-SkRollout, since '
        "$failure" | Should -Match 'Unlock-SkEnvironment -Environment staging -Force'
        Get-DeploymentChange $cluster.Staging | Should -BeNullOrEmpty
        Get-FullyQualifiedErrorId { Undo-SkDeployment staging web -ConfigPath $cluster.ConfigPath } | Should -Be "DeploymentLocked,$Kube.UndoSkDeploymentCommand"
        Get-FullyQualifiedErrorId { Start-SkCanary staging web 1.2.3 -ConfigPath $cluster.ConfigPath } | Should -Be "DeploymentLocked,$Kube.StartSkCanaryCommand"
        Get-DeploymentChange $cluster.Staging | Should -BeNullOrEmpty
    }

    It 'gives up after -LockTimeout when the holder keeps it' {
        $cluster = New-TestCluster
        New-HeldLease -Namespace $cluster.Staging
        $failure = $null
        try { Start-SkRollout staging 1.2.3 -Service web -LockTimeout 2s -ConfigPath $cluster.ConfigPath -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be "DeploymentLocked,$Kube.StartSkRolloutCommand"
        "$failure" | Should -Match 'still after waiting 2s'
        Get-FullyQualifiedErrorId { Start-SkRollout staging 1.2.3 -LockTimeout ([TimeSpan]::FromSeconds(-5)) -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidLockTimeout,$Kube.StartSkRolloutCommand"
    }

    It 'takes over the expired lease of a holder that died, with a warning naming it' {
        $cluster = New-TestCluster
        New-HeldLease -Namespace $cluster.Staging -RenewedSecondsAgo 120 -DurationSeconds 60
        $result = Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath -WarningVariable warnings 3>$null
        $result.Status | Should -Be 'Complete'
        ($warnings -join "`n") | Should -Match 'runner@skillancer\.test \(Start-SkRollout, .*taken over'
    }

    It 'takes no lock with -WhatIf, and none for a read or a plain wait' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -WhatIf -ConfigPath $cluster.ConfigPath | Out-Null
        Get-SkDeployment staging -ConfigPath $cluster.ConfigPath | Wait-SkRollout -ConfigPath $cluster.ConfigPath | Out-Null
        Get-MutatingRequest -Namespace $cluster.Staging -IncludeState | Should -BeNullOrEmpty
    }

    It 'offers -LockTimeout on the commands that take the lock, and not on reads or on those that take none' {
        foreach ($command in 'Start-SkRollout', 'Set-SkFeatureFlag', 'Clear-SkCdnCache', 'Invoke-SkMigration', 'Undo-SkMigration') {
            (Get-Command $command -ArgumentList staging).Parameters.Keys | Should -Contain 'LockTimeout' -Because $command
        }
        foreach ($command in 'Get-SkDeployment', 'Unlock-SkEnvironment', 'Approve-SkDeployment', 'Send-SkNotification') {
            (Get-Command $command -ArgumentList staging).Parameters.Keys | Should -Not -Contain 'LockTimeout' -Because $command
        }
    }
}
