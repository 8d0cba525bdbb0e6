# The gates of issue 12 that the rollout cmdlets hold: strict versions, every input checked before the first
# change (proved from the sandbox's request log), and the compositions that must undo a failed rollout
# inside a script that runs with $ErrorActionPreference = 'Stop'.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Kube = 'Skillancer.Deploy.Kubernetes'

    function Get-AnyMutatingRequest {
        <# Every mutating request the sandbox has served, whatever its target (flags, CloudFront, namespaces). #>
        @(Invoke-RestMethod -Uri "$((Get-SandboxInfo).baseUrl)sandbox/requests?mutating=true")
    }
}

Describe 'Strict versions' {
    It 'refuses <Version> with InvalidVersion naming <Nearest>, in Start-SkRollout, Start-SkCanary and Publish-SkFrontend, sending nothing' -ForEach @(
        @{ Version = '1.2'; Nearest = '1.2.0' }
        @{ Version = 'v1.2.3.4'; Nearest = 'v1.2.3' }
        @{ Version = '01.2.3'; Nearest = '1.2.3' }
    ) {
        $cluster = New-TestCluster
        $calls = @(
            @{ Command = 'StartSkRolloutCommand'; Run = { Start-SkRollout staging $Version -ConfigPath $cluster.ConfigPath -ErrorAction Stop } }
            @{ Command = 'StartSkCanaryCommand'; Run = { Start-SkCanary staging web $Version -ConfigPath $cluster.ConfigPath -ErrorAction Stop } }
            @{ Command = 'PublishSkFrontendCommand'; Run = { Publish-SkFrontend staging Kubernetes -Version $Version -ConfigPath $cluster.ConfigPath -ErrorAction Stop } }
        )
        foreach ($call in $calls) {
            $failure = try { & $call.Run } catch { $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike "InvalidVersion,*.$($call.Command)"
            $failure.Exception.Message | Should -BeLike "*the nearest valid version is $Nearest*Pass -Version $Nearest, or pass -ImageTag*"
        }
        Get-MutatingRequest -Namespace $cluster.Staging | Should -BeNullOrEmpty
        (Get-SkDeployment staging -ConfigPath $cluster.ConfigPath).Version | Sort-Object -Unique | Should -Be 'v1.2.2'
    }

    It 'keeps the v: 1.2.3 and v1.2.3 both deploy the tag v1.2.3, as New-SkRelease tags it' {
        $cluster = New-TestCluster
        (Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath).ToImage | Should -Be 'skillancer/web:v1.2.3'
        (Start-SkRollout staging v1.2.3 -Service web -ConfigPath $cluster.ConfigPath).Status | Should -Be 'Skipped'
    }

    It 'deploys any other tag only through -ImageTag, which cannot be combined with -Version' {
        $cluster = New-TestCluster
        Get-FullyQualifiedErrorId { Start-SkRollout staging latest -Service web -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidVersion,$Kube.StartSkRolloutCommand"
        $result = Start-SkRollout staging -ImageTag sha-1a2b3c -Service web -ConfigPath $cluster.ConfigPath
        $result.ToImage | Should -Be 'skillancer/web:sha-1a2b3c'
        $result.Status | Should -Be 'Complete'
        { Start-SkRollout staging -Version 1.2.3 -ImageTag latest -ConfigPath $cluster.ConfigPath } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        (Get-Command Start-SkCanary).Parameters.ImageTag.ParameterSets.Keys | Should -Be 'ImageTag'
        (Get-Command Publish-SkFrontend).Parameters.ImageTag.ParameterSets.Keys | Should -Be 'ImageTag'
    }
}

Describe 'Validate everything, then act' {
    It 'Start-SkRollout refuses <Case> with <ErrorId> before any change' -ForEach @(
        @{ Case = 'a zero timeout'; ErrorId = 'InvalidTimeout'; Arguments = @{ Timeout = 0 } }
        @{ Case = 'a negative timeout'; ErrorId = 'InvalidTimeout'; Arguments = @{ Timeout = -5 } }
        @{ Case = 'a timeout under one poll'; ErrorId = 'InvalidTimeout'; Arguments = @{ Timeout = '250ms' } }
        @{ Case = 'an unknown service'; ErrorId = 'ServiceNotFound'; Arguments = @{ Service = 'web', 'no-such-svc' } }
        @{ Case = '-UndoOnFailure with -NoWait'; ErrorId = 'InvalidParameterCombination'; Arguments = @{ UndoOnFailure = $true; NoWait = $true } }
    ) {
        $cluster = New-TestCluster
        Get-FullyQualifiedErrorId { Start-SkRollout staging 1.2.3 -ConfigPath $cluster.ConfigPath @Arguments } | Should -Be "$ErrorId,$Kube.StartSkRolloutCommand"
        Get-MutatingRequest -Namespace $cluster.Staging | Should -BeNullOrEmpty
    }

    It 'says what to do about a bad timeout' {
        $cluster = New-TestCluster
        { Start-SkRollout staging 1.2.3 -Timeout 0 -ConfigPath $cluster.ConfigPath -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '-Timeout 0s is not a usable timeout for a rollout: it must be positive and at least 1s. Pass a duration such as 5m, or leave -Timeout out to use the default.'
    }

    It 'Wait-SkRollout -UndoOnFailure refuses a zero timeout before it would roll back' {
        $cluster = New-TestCluster -ProgressDeadlineSeconds 1
        Start-SkRollout staging 1.2.4-broken -Service web -NoWait -ConfigPath $cluster.ConfigPath | Out-Null
        $before = @(Get-MutatingRequest -Namespace $cluster.Staging).Count
        Get-FullyQualifiedErrorId { Wait-SkRollout staging web -UndoOnFailure -Timeout 0 -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidTimeout,$Kube.WaitSkRolloutCommand"
        @(Get-MutatingRequest -Namespace $cluster.Staging).Count | Should -Be $before
    }

    It 'Undo-SkDeployment refuses a negative timeout and an unknown service, changing nothing' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath | Out-Null
        $before = @(Get-MutatingRequest -Namespace $cluster.Staging).Count
        Get-FullyQualifiedErrorId { Undo-SkDeployment staging web -Timeout -1 -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidTimeout,$Kube.UndoSkDeploymentCommand"
        Get-FullyQualifiedErrorId { Undo-SkDeployment staging web, nope -ConfigPath $cluster.ConfigPath } | Should -Be "ServiceNotFound,$Kube.UndoSkDeploymentCommand"
        @(Get-MutatingRequest -Namespace $cluster.Staging).Count | Should -Be $before
        (Get-SkDeployment staging web -ConfigPath $cluster.ConfigPath).Version | Should -Be 'v1.2.3'
    }

    It 'the canary cmdlets refuse bad timeouts, weights, replicas and services before any change' {
        $cluster = New-TestCluster
        Get-FullyQualifiedErrorId { Start-SkCanary staging web 1.2.3 -Timeout 0 -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidTimeout,$Kube.StartSkCanaryCommand"
        Get-FullyQualifiedErrorId { Start-SkCanary staging web 1.2.3 -Weight -1 -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidWeight,$Kube.StartSkCanaryCommand"
        Get-FullyQualifiedErrorId { Start-SkCanary staging web 1.2.3 -Replicas 0 -ConfigPath $cluster.ConfigPath } | Should -BeLike 'ParameterArgumentValidationError,*'
        Get-FullyQualifiedErrorId { Set-SkCanaryWeight staging web 101 -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidWeight,$Kube.SetSkCanaryWeightCommand"
        Get-FullyQualifiedErrorId { Complete-SkCanary staging web -Timeout -30 -ConfigPath $cluster.ConfigPath } | Should -Be "InvalidTimeout,$Kube.CompleteSkCanaryCommand"
        Get-FullyQualifiedErrorId { Stop-SkCanary staging no-such-svc -ConfigPath $cluster.ConfigPath } | Should -Be "ServiceNotFound,$Kube.StopSkCanaryCommand"
        Get-MutatingRequest -Namespace $cluster.Staging | Should -BeNullOrEmpty
    }

    It 'Publish-SkFrontend refuses a zero timeout, and neither a version nor a tag, before any change' {
        $cluster = New-TestCluster
        Get-FullyQualifiedErrorId { Publish-SkFrontend staging Kubernetes -Version 1.2.3 -Timeout 0 -ConfigPath $cluster.ConfigPath } | Should -Be 'InvalidTimeout,Skillancer.Deploy.Frontend.PublishSkFrontendCommand'
        Get-FullyQualifiedErrorId { Publish-SkFrontend staging Kubernetes -ConfigPath $cluster.ConfigPath } | Should -Be 'VersionRequired,Skillancer.Deploy.Frontend.PublishSkFrontendCommand'
        Get-MutatingRequest -Namespace $cluster.Staging | Should -BeNullOrEmpty
    }

    It 'Set-SkFeatureFlag refuses a missing token and a percentage over 100 before it posts' {
        $cluster = New-TestCluster
        $before = (Get-AnyMutatingRequest).Count
        $saved = $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN
        try {
            $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = $null
            Get-FullyQualifiedErrorId { Set-SkFeatureFlag staging new_dashboard -Enabled -ConfigPath $cluster.ConfigPath } | Should -Be 'SecretNotSet,Skillancer.Deploy.FeatureFlags.SetSkFeatureFlagCommand'
        }
        finally { $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = $saved }
        Get-FullyQualifiedErrorId { Set-SkFeatureFlag staging new_dashboard -RolloutPercentage 101 -ConfigPath $cluster.ConfigPath } | Should -BeLike 'ParameterArgumentValidationError,*'
        @(Get-AnyMutatingRequest | Select-Object -Skip $before | Where-Object path -Like "/svc/$($cluster.Staging)/*").Count | Should -Be 0
    }

    It 'Clear-SkCdnCache -Wait refuses a zero timeout and one under a poll before it creates an invalidation' {
        $before = @(Get-AnyMutatingRequest | Where-Object path -Like '/2020-05-31/*').Count
        Get-FullyQualifiedErrorId { Clear-SkCdnCache staging -Wait -Timeout 0 -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be 'InvalidTimeout,Skillancer.Deploy.Cdn.ClearSkCdnCacheCommand'
        Get-FullyQualifiedErrorId { Clear-SkCdnCache staging -Wait -Timeout 500ms -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be 'InvalidTimeout,Skillancer.Deploy.Cdn.ClearSkCdnCacheCommand'
        @(Get-AnyMutatingRequest | Where-Object path -Like '/2020-05-31/*').Count | Should -Be $before
    }
}

Describe 'Compositions under $ErrorActionPreference = ''Stop''' {
    It 'Start-SkRollout | Wait-SkRollout -UndoOnFailure puts a broken version back' {
        $cluster = New-TestCluster -ProgressDeadlineSeconds 1
        $run = Invoke-StopScript -ConfigPath $cluster.ConfigPath -Body 'Start-SkRollout staging 1.2.4-broken -Service web -ConfigPath $ConfigPath | Wait-SkRollout -UndoOnFailure -ConfigPath $ConfigPath'
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'RolloutFailed,*'
        ($run.Output | Where-Object { $_.PSObject.Properties['ToRevision'] }).Status | Should -Be 'RolledBack'
        (Get-SkDeployment staging web -ConfigPath $cluster.ConfigPath).Image | Should -Be 'skillancer/web:v1.2.2'
    }

    It 'Start-SkRollout | Wait-SkRollout -UndoOnFailure puts back every service of a failed tier, not only the first' {
        $cluster = New-TestCluster -ProgressDeadlineSeconds 1
        $run = Invoke-StopScript -ConfigPath $cluster.ConfigPath -Body 'Start-SkRollout staging 1.2.4-broken -ConfigPath $ConfigPath | Wait-SkRollout -UndoOnFailure -ConfigPath $ConfigPath'
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'RolloutFailed,*'
        (Get-SkDeployment staging -ConfigPath $cluster.ConfigPath).Image | Should -Be @('skillancer/auth-svc:v1.2.2', 'skillancer/market-svc:v1.2.2', 'skillancer/skillpod-svc:v1.2.2', 'skillancer/api-gateway:v1.2.2', 'skillancer/web:v1.2.2')
    }

    It 'Start-SkRollout -UndoOnFailure puts every changed service back and writes the rollout and rollback results before the error' {
        $cluster = New-TestCluster -ProgressDeadlineSeconds 1
        $run = Invoke-StopScript -ConfigPath $cluster.ConfigPath -Body 'Start-SkRollout staging 1.2.4-broken -UndoOnFailure -ConfigPath $ConfigPath'
        $run.Error.FullyQualifiedErrorId | Should -Be "RolloutFailed,$Kube.StartSkRolloutCommand"
        $rollouts = @($run.Output | Where-Object { $_.PSObject.Properties['Version'] -and -not $_.PSObject.Properties['ToRevision'] })
        $rollbacks = @($run.Output | Where-Object { $_.PSObject.Properties['ToRevision'] })
        $rollouts.Service | Should -Be @('auth-svc', 'market-svc', 'skillpod-svc', 'api-gateway', 'web')
        ($rollouts | Where-Object Status -EQ 'Failed').Service | Should -Be @('auth-svc', 'market-svc', 'skillpod-svc')
        ($rollbacks | Sort-Object Service | ForEach-Object { "$($_.Service)=$($_.ToImage):$($_.Status)" }) |
            Should -Be @('auth-svc=skillancer/auth-svc:v1.2.2:RolledBack', 'market-svc=skillancer/market-svc:v1.2.2:RolledBack', 'skillpod-svc=skillancer/skillpod-svc:v1.2.2:RolledBack')
        (Get-SkDeployment staging -ConfigPath $cluster.ConfigPath).Version | Sort-Object -Unique | Should -Be 'v1.2.2'
    }

    It 'Start-SkRollout -UndoOnFailure changes nothing back when the rollout succeeds' {
        $cluster = New-TestCluster
        $run = Invoke-StopScript -ConfigPath $cluster.ConfigPath -Body 'Start-SkRollout staging 1.2.3 -Service web, api-gateway -UndoOnFailure -ConfigPath $ConfigPath'
        $run.Error | Should -BeNullOrEmpty
        $run.Output.Status | Should -Be @('Complete', 'Complete')
        (Get-SkDeployment staging -ConfigPath $cluster.ConfigPath | Where-Object Service -In 'web', 'api-gateway').Version | Should -Be @('v1.2.3', 'v1.2.3')
    }
}
