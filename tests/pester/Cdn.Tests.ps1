# Clear-SkCdnCache and Get-SkCdnInvalidation against the sandbox's CloudFront, which checks every SigV4 signature.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    function Get-InvalidationPost {
        $all = Invoke-RestMethod -Uri "$((Get-SandboxInfo).baseUrl)sandbox/requests?mutating=true"
        @($all | Where-Object { $_.path -like '/2020-05-31/distribution/*/invalidation' })
    }
    function Get-CloudFrontRequest {
        <# Every request to the CloudFront API, reads included. #>
        $all = Invoke-RestMethod -Uri "$((Get-SandboxInfo).baseUrl)sandbox/requests"
        @($all | Where-Object { $_.path -like '/2020-05-31/*' })
    }
    function New-UniqueVersion { "v7.$([Guid]::NewGuid().ToString('N').Substring(0, 8))" }
}

Describe 'Clear-SkCdnCache' {
    It 'invalidates /* by default, waits for Completed, and gives back the same invalidation when run again' {
        $version = New-UniqueVersion
        $first = Clear-SkCdnCache staging -Version $version -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $done = Clear-SkCdnCache staging -Version $version -Wait -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $output = Clear-SkCdnCache staging -Version $version -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG 3>&1
        $again = $output | Where-Object { $_ -isnot [Management.Automation.WarningRecord] }
        $warnings = $output | Where-Object { $_ -is [Management.Automation.WarningRecord] }
        $first.Paths | Should -Be @('/*')
        $done.Id | Should -Be $first.Id
        $done.Status | Should -Be 'Completed'
        ($done | Out-String) | Should -Match "✅`u{FE0F} Completed"
        $again.Id | Should -Be $first.Id
        "$warnings" | Should -Match "invalidation $($first.Id) .*has Completed.*creates a new invalidation"
    }

    It 'returns the first invalidation to a rerun without -Version inside cdn.dedupeWindow' {
        $path = "/t$([Guid]::NewGuid().ToString('N').Substring(0, 8))/*"
        $first = Clear-SkCdnCache staging -Path $path -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $again = Clear-SkCdnCache staging -Path $path -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG 3>$null
        $again.Id | Should -Be $first.Id
        $again.CallerReference | Should -Be $first.CallerReference
        $first.CallerReference | Should -Match '^skdeploy-staging-[0-9a-f]{16}-\d{8}T\d{6}Z$'
    }

    It 'creates a new invalidation once cdn.dedupeWindow has passed' {
        $config = New-TestConfig -Yaml ((Get-Content -Raw $env:SKDEPLOY_SANDBOX_CONFIG) -replace '(?m)^(\s+)(distributionId: .*)$', "`$1`$2`n`$1dedupeWindow: 1s")
        $version = New-UniqueVersion
        $first = Clear-SkCdnCache staging -Version $version -ConfigPath $config
        $deadline = [DateTimeOffset]::UtcNow.AddSeconds(30)
        do {
            $again = Clear-SkCdnCache staging -Version $version -ConfigPath $config 3>$null
        } until ($again.Id -ne $first.Id -or [DateTimeOffset]::UtcNow -gt $deadline)
        $again.Id | Should -Not -Be $first.Id
        ($again.CreateTime - $first.CreateTime) | Should -BeGreaterOrEqual ([TimeSpan]::FromSeconds(1))
        $again.CallerReference | Should -Not -Be $first.CallerReference
    }

    It 'limits the invalidation to the paths given' {
        $result = Clear-SkCdnCache staging -Path '/static/*', '/assets/*' -Version "v7.$([Guid]::NewGuid().ToString('N').Substring(0, 6))" -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $result.Paths | Should -Be @('/static/*', '/assets/*')
    }

    It 'sends nothing with -WhatIf, not even the lookup, even to production' {
        $before = (Get-CloudFrontRequest).Count
        Clear-SkCdnCache production -WhatIf -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG | Should -BeNullOrEmpty
        Clear-SkCdnCache staging -Version (New-UniqueVersion) -WhatIf -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG | Should -BeNullOrEmpty
        (Get-CloudFrontRequest).Count | Should -Be $before
    }

    It 'rejects a bad path, a missing profile, a missing cdn section and a bad dedupeWindow with their error ids, sending nothing' {
        $id = 'Skillancer.Deploy.Cdn.ClearSkCdnCacheCommand'
        $before = (Get-CloudFrontRequest).Count
        Get-FullyQualifiedErrorId { Clear-SkCdnCache staging -Path 'static/*' -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "InvalidCdnPath,$id"
        Get-FullyQualifiedErrorId { Clear-SkCdnCache staging -ProfileName nobody -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "AwsCredentialsNotFound,$id"
        $bare = New-TestConfig -Yaml "environments:`n  staging:`n    enforceSchedule: false`n    services: []`n"
        Get-FullyQualifiedErrorId { Clear-SkCdnCache staging -ConfigPath $bare } | Should -Be "CdnNotConfigured,$id"
        $soon = New-TestConfig -Yaml "environments:`n  staging:`n    services: []`n    cdn:`n      distributionId: E2EXAMPLE`n      dedupeWindow: soon`n"
        Get-FullyQualifiedErrorId { Clear-SkCdnCache staging -ConfigPath $soon } | Should -Be "ConfigInvalid.Duration,$id"
        (Get-CloudFrontRequest).Count | Should -Be $before
    }
    It 'checks the paths and the timeout before the policy of production asks anything' {
        $id = 'Skillancer.Deploy.Cdn.ClearSkCdnCacheCommand'
        $before = (Get-CloudFrontRequest).Count
        Get-FullyQualifiedErrorId { Clear-SkCdnCache production -Path 'static/*' -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "InvalidCdnPath,$id"
        Get-FullyQualifiedErrorId { Clear-SkCdnCache production -Wait -Timeout 0 -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "InvalidTimeout,$id"
        (Get-CloudFrontRequest).Count | Should -Be $before
    }
}

Describe 'Get-SkCdnInvalidation' {
    It 'lists the distribution''s invalidations newest first, and reads one by -Id with its paths' {
        $older = Clear-SkCdnCache staging -Path '/static/*', '/assets/*' -Version (New-UniqueVersion) -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $newer = Clear-SkCdnCache staging -Version (New-UniqueVersion) -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $listed = @(Get-SkCdnInvalidation staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG)
        $one = Get-SkCdnInvalidation staging -Id $older.Id -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG

        $ids = @($listed.Id)
        $ids.IndexOf($newer.Id) | Should -BeGreaterOrEqual 0
        $ids.IndexOf($older.Id) | Should -BeGreaterThan $ids.IndexOf($newer.Id)
        $listed | ForEach-Object { $_.Environment | Should -Be 'staging'; $_.DistributionId | Should -Be $older.DistributionId }
        $listed[0].PSObject.TypeNames[0] | Should -Be 'Skillancer.Deploy.Engine.Cdn.InvalidationResult'
        $one.Id | Should -Be $older.Id
        $one.Paths | Should -Be @('/static/*', '/assets/*')
        $one.CallerReference | Should -Be $older.CallerReference
        ($listed | Select-Object -First 3 | Out-String -Width 80) | Should -Match ([regex]::Escape($newer.Id))
    }

    It 're-reads Clear-SkCdnCache''s result from the pipeline, filters by Status, and stops early for Select-Object -First' {
        $cleared = Clear-SkCdnCache staging -Version (New-UniqueVersion) -Wait -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $reread = $cleared | Get-SkCdnInvalidation -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $completed = @(Get-SkCdnInvalidation staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG | Where-Object Status -eq Completed)
        $newest = @(Get-SkCdnInvalidation staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG | Select-Object -First 1)

        $reread.Id | Should -Be $cleared.Id
        $reread.Status | Should -Be 'Completed'
        $reread.Paths | Should -Be @('/*')
        $completed.Id | Should -Contain $cleared.Id
        $newest.Count | Should -Be 1
        $newest[0].Id | Should -Be $cleared.Id
    }

    It 'fails with CdnInvalidationNotFound for an unknown id, and the message says how to list them' {
        $failure = $null
        Get-SkCdnInvalidation staging -Id INOSUCHINVALID -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -Be 'CdnInvalidationNotFound,Skillancer.Deploy.Cdn.GetSkCdnInvalidationCommand'
        $failure[0].Exception.Message | Should -Match "'INOSUCHINVALID'.*Run 'Get-SkCdnInvalidation staging' to list"
    }

    It 'refuses an invalidation of another distribution (TargetMismatch) and a missing cdn section, sending nothing' {
        $id = 'Skillancer.Deploy.Cdn.GetSkCdnInvalidationCommand'
        $cleared = Clear-SkCdnCache staging -Version (New-UniqueVersion) -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $before = (Get-CloudFrontRequest).Count
        Get-FullyQualifiedErrorId { $cleared | Get-SkCdnInvalidation production -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "TargetMismatch,$id"
        $bare = New-TestConfig -Yaml "environments:`n  staging:`n    enforceSchedule: false`n    services: []`n"
        Get-FullyQualifiedErrorId { Get-SkCdnInvalidation staging -ConfigPath $bare } | Should -Be "CdnNotConfigured,$id"
        (Get-CloudFrontRequest).Count | Should -Be $before
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
            New-SkDeploymentNotice -Kind Started -Version v1 -Environment staging -ConfigPath $config -Verbose -Debug | Send-SkNotification staging -ConfigPath $config -Verbose -Debug
            Clear-SkCdnCache staging -Version "v8.$([Guid]::NewGuid().ToString('N').Substring(0, 6))" -Wait -ConfigPath $config -Verbose -Debug
            Invoke-SkSmokeTest staging -ConfigPath $config -Verbose -Debug
            $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = 'wrong-admin-token-value'
            Set-SkFeatureFlag staging new_dashboard -Enabled -ConfigPath $config -Verbose -Debug
            $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = $saved
            Clear-SkCdnCache staging -Path 'bad' -ConfigPath $config -Verbose -Debug
            Get-SkCdnInvalidation staging -ConfigPath $config -Verbose -Debug | Select-Object -First 2
            Get-SkCdnInvalidation staging -Id INOSUCHINVALID -ConfigPath $config -Verbose -Debug
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
