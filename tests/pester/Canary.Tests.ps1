# The canary cmdlets against the sandbox's Istio VirtualService and DestinationRule.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
}

Describe 'Canary cmdlets' {
    It 'starts a 5% canary, widens it to 25%, and promotes it' {
        $cluster = New-TestCluster
        $started = Start-SkCanary -Environment staging -Service web -Version 1.2.3 -ConfigPath $cluster.ConfigPath
        "$($started.StableWeight)/$($started.CanaryWeight)" | Should -Be '95/5'
        $started.CanaryReady | Should -BeTrue
        (Set-SkCanaryWeight staging web 25 -ConfigPath $cluster.ConfigPath).CanaryWeight | Should -Be 25
        $done = Complete-SkCanary staging web -ConfigPath $cluster.ConfigPath
        $done.StableImage | Should -Be 'skillancer/web:v1.2.3'
        $done.CanaryImage | Should -BeNullOrEmpty
        "$($done.StableWeight)/$($done.CanaryWeight)" | Should -Be '100/0'
        (Get-SkDeployment staging web -ConfigPath $cluster.ConfigPath).Version | Should -Be 'v1.2.3'
    }

    It 'reports the weights kubectl sees in the VirtualService' {
        $cluster = New-TestCluster
        $status = Start-SkCanary staging web 1.2.3 -Weight 10 -ConfigPath $cluster.ConfigPath
        $kubeconfig = (Get-SkEnvironment staging -ConfigPath $cluster.ConfigPath).Kubernetes.Kubeconfig
        $vs = kubectl --kubeconfig $kubeconfig --cache-dir (Join-Path $TestDrive 'kubectl') get virtualservice web -n $cluster.Staging -o json | ConvertFrom-Json
        $routes = $vs.spec.http[0].route
        ($routes | Where-Object { $_.destination.subset -eq 'stable' }).weight | Should -Be $status.StableWeight
        ($routes | Where-Object { $_.destination.subset -eq 'canary' }).weight | Should -Be $status.CanaryWeight
        $canary = kubectl --kubeconfig $kubeconfig --cache-dir (Join-Path $TestDrive 'kubectl') get deployment web-canary -n $cluster.Staging -o json | ConvertFrom-Json
        $canary.spec.template.spec.containers[0].image | Should -Be $status.CanaryImage
    }

    It 'stops a canary: traffic back to stable, canary scaled to zero' {
        $cluster = New-TestCluster
        Start-SkCanary staging web 1.2.3 -Weight 20 -ConfigPath $cluster.ConfigPath | Out-Null
        $stopped = Stop-SkCanary staging web -ConfigPath $cluster.ConfigPath
        "$($stopped.StableWeight)/$($stopped.CanaryWeight)/$($stopped.CanaryReplicas)" | Should -Be '100/0/0'
        (Get-SkDeployment staging web -ConfigPath $cluster.ConfigPath).Version | Should -Be 'v1.2.2'
    }

    It 'sends no mutating request with -WhatIf, for each of the four cmdlets' {
        $cluster = New-TestCluster
        Start-SkCanary staging web 1.2.3 -ConfigPath $cluster.ConfigPath -WhatIf | Should -BeNullOrEmpty
        Stop-SkCanary staging web -ConfigPath $cluster.ConfigPath -WhatIf | Should -BeNullOrEmpty
        Get-MutatingRequest -Namespace $cluster.Staging | Should -BeNullOrEmpty
        Start-SkCanary staging web 1.2.3 -ConfigPath $cluster.ConfigPath | Out-Null
        $before = @(Get-MutatingRequest -Namespace $cluster.Staging).Count
        Set-SkCanaryWeight staging web 50 -ConfigPath $cluster.ConfigPath -WhatIf | Should -BeNullOrEmpty
        Complete-SkCanary staging web -ConfigPath $cluster.ConfigPath -WhatIf | Should -BeNullOrEmpty
        @(Get-MutatingRequest -Namespace $cluster.Staging).Count | Should -Be $before
    }

    It 'gives clear errors for a bad weight, a service without canary routing, and no running canary' {
        $cluster = New-TestCluster
        Get-FullyQualifiedErrorId { Start-SkCanary staging web 1.2.3 -Weight 120 -ConfigPath $cluster.ConfigPath } |
            Should -Be 'InvalidWeight,Skillancer.Deploy.Kubernetes.StartSkCanaryCommand'
        Get-FullyQualifiedErrorId { Start-SkCanary staging auth-svc 1.2.3 -ConfigPath $cluster.ConfigPath } |
            Should -Be 'CanaryNotConfigured,Skillancer.Deploy.Kubernetes.StartSkCanaryCommand'
        Get-FullyQualifiedErrorId { Set-SkCanaryWeight staging web 10 -ConfigPath $cluster.ConfigPath } |
            Should -Be 'CanaryNotRunning,Skillancer.Deploy.Kubernetes.SetSkCanaryWeightCommand'
        Get-FullyQualifiedErrorId { Complete-SkCanary staging web -ConfigPath $cluster.ConfigPath } |
            Should -Be 'CanaryNotRunning,Skillancer.Deploy.Kubernetes.CompleteSkCanaryCommand'
        Get-MutatingRequest -Namespace $cluster.Staging | Should -BeNullOrEmpty
    }
}
