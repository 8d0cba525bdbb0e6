# Clear-SkCdnCache against the sandbox's CloudFront, which checks every SigV4 signature.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    function Get-InvalidationPost {
        $all = Invoke-RestMethod -Uri "$((Get-SandboxInfo).baseUrl)sandbox/requests?mutating=true"
        @($all | Where-Object { $_.path -like '/2020-05-31/distribution/*/invalidation' })
    }
}

Describe 'Clear-SkCdnCache' {
    It 'invalidates /* by default, waits for Completed, and gives back the same invalidation when run again' {
        $version = "v7.$([Guid]::NewGuid().ToString('N').Substring(0, 6))"
        $first = Clear-SkCdnCache staging -Version $version -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $done = Clear-SkCdnCache staging -Version $version -Wait -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $first.Paths | Should -Be @('/*')
        $done.Id | Should -Be $first.Id
        $done.Status | Should -Be 'Completed'
        ($done | Out-String) | Should -Match "✅`u{FE0F} Completed"
    }

    It 'limits the invalidation to the paths given' {
        $result = Clear-SkCdnCache staging -Path '/static/*', '/assets/*' -Version "v7.$([Guid]::NewGuid().ToString('N').Substring(0, 6))" -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $result.Paths | Should -Be @('/static/*', '/assets/*')
    }

    It 'sends nothing with -WhatIf, even to production' {
        $before = (Get-InvalidationPost).Count
        Clear-SkCdnCache production -WhatIf -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG | Should -BeNullOrEmpty
        (Get-InvalidationPost).Count | Should -Be $before
    }

    It 'rejects a bad path, a missing profile and a missing cdn section with their error ids' {
        $id = 'Skillancer.Deploy.Cdn.ClearSkCdnCacheCommand'
        Get-FullyQualifiedErrorId { Clear-SkCdnCache staging -Path 'static/*' -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "InvalidCdnPath,$id"
        Get-FullyQualifiedErrorId { Clear-SkCdnCache staging -ProfileName nobody -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "AwsCredentialsNotFound,$id"
        $bare = New-TestConfig -Yaml "environments:`n  staging:`n    services: []`n"
        Get-FullyQualifiedErrorId { Clear-SkCdnCache staging -ConfigPath $bare } | Should -Be "CdnNotConfigured,$id"
    }
}

Describe 'Secrets' {
    It 'never show a token, webhook URL or AWS secret in any stream, with -Verbose and -Debug' {
        $cluster = New-TestCluster
        $info = Get-SandboxInfo
        $awsSecret = ((Get-Content $info.awsCredentialsFile) -match '^aws_secret_access_key' -split '=', 2)[1].Trim()
        $vercelToken = 'vca_secret_sweep_token_6c2e'
        $secrets = @($env:SKDEPLOY_SANDBOX_ADMIN_TOKEN, ($env:SKDEPLOY_SANDBOX_WEBHOOK_URL -split '/')[-1], $awsSecret, ($env:SKDEPLOY_SANDBOX_SMOKE_AUTHORIZATION -split ' ')[-1], $vercelToken)
        $standIn = Join-Path $PSScriptRoot '..' 'fixtures' 'vercel-standin' 'vercel'
        $savedVercel = $env:VERCEL_TOKEN
        $config = $cluster.ConfigPath
        $saved = $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN
        $output = & {
            $ErrorActionPreference = 'Continue'   # the failing calls below must write their errors, not stop the block
            Set-SkFeatureFlag staging new_dashboard -Enabled -ConfigPath $config -Verbose -Debug
            Get-SkFeatureFlag staging -ConfigPath $config -Verbose -Debug
            Get-SkFeatureFlag staging no_such_flag -ConfigPath $config -Verbose -Debug
            New-SkDeploymentNotice Started -Version v1 -Environment staging -ConfigPath $config -Verbose -Debug | Send-SkNotification staging -ConfigPath $config -Verbose -Debug
            Clear-SkCdnCache staging -Version "v8.$([Guid]::NewGuid().ToString('N').Substring(0, 6))" -Wait -ConfigPath $config -Verbose -Debug
            Invoke-SkSmokeTest staging -ConfigPath $config -Verbose -Debug
            $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = 'wrong-admin-token-value'
            Set-SkFeatureFlag staging new_dashboard -Enabled -ConfigPath $config -Verbose -Debug
            $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = $saved
            Clear-SkCdnCache staging -Path 'bad' -ConfigPath $config -Verbose -Debug
            $env:VERCEL_TOKEN = $vercelToken
            Publish-SkFrontend staging Vercel -Path $TestDrive -VercelPath $standIn -ConfigPath $config -Verbose -Debug
            $env:VERCEL_STANDIN_FAIL = '1'
            Publish-SkFrontend staging Vercel -Path $TestDrive -VercelPath $standIn -ConfigPath $config -Verbose -Debug
            $env:VERCEL_STANDIN_FAIL = $null
        } *>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { "$_ $($_.Exception) $($_.ErrorDetails) $($_.ScriptStackTrace)" } else { $_ | Out-String -Width 500 } }
        $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = $saved
        $env:VERCEL_TOKEN = $savedVercel
        $env:VERCEL_STANDIN_FAIL = $null
        $text = $output -join "`n"
        $text | Should -Match 'new_dashboard'
        $text | Should -Match 'Completed'
        $text | Should -Match 'FeatureFlagAccessDenied|refused the token'
        $text | Should -Match 'vercel\.app'
        $text | Should -Match 'The specified token is not valid'
        foreach ($secret in $secrets + 'wrong-admin-token-value') { $text.Contains($secret) | Should -BeFalse -Because "no stream may hold a secret" }
    }
}
