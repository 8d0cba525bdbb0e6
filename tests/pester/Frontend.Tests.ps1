# Publish-SkFrontend: Vercel through the recorded-contract stand-in (the deploy needs Vercel's API), Kubernetes through the sandbox.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:standIn = Join-Path $PSScriptRoot '..' 'fixtures' 'vercel-standin' 'vercel'
}

Describe 'Publish-SkFrontend -Target Vercel' {
    BeforeEach {
        $script:savedToken = $env:VERCEL_TOKEN
        $env:VERCEL_TOKEN = 'vca_pester_token_51e0'
        $env:VERCEL_STANDIN_RECORD = Join-Path $TestDrive 'record.json'
        Remove-Item $env:VERCEL_STANDIN_RECORD -ErrorAction Ignore
    }
    AfterEach {
        $env:VERCEL_TOKEN = $script:savedToken
        $env:VERCEL_STANDIN_RECORD = $null
    }

    It 'runs vercel deploy --prod with the token only in its environment and returns the URL' {
        $result = Publish-SkFrontend staging Vercel -Path $TestDrive -VercelPath $standIn -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $result.Url | Should -Be 'https://skillancer-web-prod-a1b2c3.vercel.app/'
        $result.Production | Should -BeTrue
        $seen = Get-Content -Raw $env:VERCEL_STANDIN_RECORD | ConvertFrom-Json
        $seen.args | Should -Be @('deploy', '--prod', '--yes', '--cwd', (Resolve-Path $TestDrive).ProviderPath)
        $seen.tokenInEnvironment | Should -BeTrue
        $seen.tokenInArguments | Should -BeFalse
    }

    It 'runs nothing with -WhatIf' {
        Publish-SkFrontend production Vercel -Path $TestDrive -VercelPath $standIn -WhatIf -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG | Should -BeNullOrEmpty
        Test-Path $env:VERCEL_STANDIN_RECORD | Should -BeFalse
    }

    It 'names a missing CLI, a missing token, a missing folder and a parameter of the cluster target with their error ids' {
        $id = 'Skillancer.Deploy.Frontend.PublishSkFrontendCommand'
        Get-FullyQualifiedErrorId { Publish-SkFrontend staging Vercel -Path $TestDrive -VercelPath (Join-Path $TestDrive 'none') -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "VercelNotInstalled,$id"
        Get-FullyQualifiedErrorId { Publish-SkFrontend staging Vercel -Path (Join-Path $TestDrive 'nothing') -VercelPath $standIn -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "FrontendPathNotFound,$id"
        Get-FullyQualifiedErrorId { Publish-SkFrontend staging Vercel -Path $TestDrive -VercelPath $standIn -UndoOnFailure -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "InvalidParameterCombination,$id"
        Test-Path $env:VERCEL_STANDIN_RECORD | Should -BeFalse
        $env:VERCEL_TOKEN = $null
        Get-FullyQualifiedErrorId { Publish-SkFrontend staging Vercel -Path $TestDrive -VercelPath $standIn -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "SecretNotSet,$id"
    }
}

Describe 'Publish-SkFrontend -Target Kubernetes' {
    It 'rolls out the frontend tier only' {
        $cluster = New-TestCluster
        $results = Publish-SkFrontend staging Kubernetes -Version 1.2.3 -ConfigPath $cluster.ConfigPath
        $results.Service | Should -Be @('web')
        $results.Status | Should -Be 'Complete'
        (Get-SkDeployment staging api-gateway -ConfigPath $cluster.ConfigPath).Version | Should -Be 'v1.2.2'
        Get-FullyQualifiedErrorId { Publish-SkFrontend staging Kubernetes -ConfigPath $cluster.ConfigPath } | Should -Be 'VersionRequired,Skillancer.Deploy.Frontend.PublishSkFrontendCommand'
    }

    It 'refuses a parameter of the other target, and a bad timeout, before any request' -ForEach @(
        @{ Case = '-Path'; ErrorId = 'InvalidParameterCombination'; Arguments = @{ Version = '1.2.3'; Path = '.' } }
        @{ Case = '-Preview'; ErrorId = 'InvalidParameterCombination'; Arguments = @{ Version = '1.2.3'; Preview = $true } }
        @{ Case = 'a zero timeout'; ErrorId = 'InvalidTimeout'; Arguments = @{ Version = '1.2.3'; Timeout = 0 } }
        @{ Case = 'a short version'; ErrorId = 'InvalidVersion'; Arguments = @{ Version = '1.2' } }
    ) {
        $cluster = New-TestCluster
        Get-FullyQualifiedErrorId { Publish-SkFrontend staging Kubernetes -ConfigPath $cluster.ConfigPath @Arguments } | Should -Be "$ErrorId,Skillancer.Deploy.Frontend.PublishSkFrontendCommand"
        Get-MutatingRequest -Namespace $cluster.Staging | Should -BeNullOrEmpty
    }

    It '-UndoOnFailure puts the frontend back and writes the rollout and rollback before the error, under $ErrorActionPreference = Stop' {
        $cluster = New-TestCluster -ProgressDeadlineSeconds 1
        $run = Invoke-StopScript -ConfigPath $cluster.ConfigPath -Body 'Publish-SkFrontend staging Kubernetes -Version 1.2.4-broken -UndoOnFailure -ConfigPath $ConfigPath'
        $run.Error.FullyQualifiedErrorId | Should -Be 'RolloutFailed,Skillancer.Deploy.Frontend.PublishSkFrontendCommand'
        ($run.Output | Where-Object { $_.PSObject.Properties['ToRevision'] }).Status | Should -Be 'RolledBack'
        (Get-SkDeployment staging web -ConfigPath $cluster.ConfigPath).Image | Should -Be 'skillancer/web:v1.2.2'
    }

    It 'sends no mutating request with -WhatIf, even to production' {
        $cluster = New-TestCluster
        Publish-SkFrontend production Kubernetes -Version 1.2.3 -WhatIf -ConfigPath $cluster.ConfigPath | Should -BeNullOrEmpty
        Get-MutatingRequest -Namespace $cluster.Production | Should -BeNullOrEmpty
    }
}
