# New-SkDeploymentNotice and Send-SkNotification, delivered to the sandbox's webhook sink.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    function Get-Delivered { @(Invoke-RestMethod -Uri "$((Get-SandboxInfo).baseUrl)sandbox/webhooks") }
}

Describe 'New-SkDeploymentNotice' {
    It 'writes the runbook''s rollback message for each rollback piped in' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath | Out-Null
        $notice = Undo-SkDeployment staging web -ConfigPath $cluster.ConfigPath | New-SkDeploymentNotice -Kind Rollback -Reason 'smoke tests failed'
        $notice.Kind | Should -Be 'Rollback'
        $notice.Text | Should -Match '(?s)^🔄 \*\*Deployment Rollback\*\*\n\n\*\*Service\*\*: web\n\*\*From Version\*\*: v1\.2\.3\n\*\*To Version\*\*: v1\.2\.2\n\*\*Reason\*\*: smoke tests failed\n\*\*Time\*\*: \d{4}-\d\d-\d\d \d\d:\d\d UTC\n\nInvestigating root cause\. Updates to follow\.$'
        ($notice | Out-String) | Should -Match 'Deployment Rollback'
    }

    It 'builds the completion message from health checks and changelog entries' {
        $cluster = New-TestCluster
        $changelog = [pscustomobject]@{ Version = 'v1.2.3'; Added = @('Search jobs by skill'); Fixed = @('Login redirect loop'); Changed = @(); Breaking = @() }
        $notice = @(Test-SkHealth staging -ConfigPath $cluster.ConfigPath) + $changelog |
            New-SkDeploymentNotice -Kind Complete -Environment staging -ConfigPath $cluster.ConfigPath
        $notice.Fields['Version'] | Should -Be 'v1.2.3'
        $notice.Fields['Status'] | Should -Be 'All health checks passing'
        $notice.Fields['Services'] | Should -Be 'All services updated'
        $notice.Text | Should -Match "Key changes:\n- Search jobs by skill\n- Login redirect loop\n\nNo user action required\.$"
    }

    It 'says which value a notice lacks' {
        Get-FullyQualifiedErrorId { New-SkDeploymentNotice -Kind Rollback -Service web -FromVersion v2 -ToVersion v1 } |
            Should -Be 'NoticeFieldMissing,Skillancer.Deploy.Notifications.NewSkDeploymentNoticeCommand'
    }
}

Describe 'Send-SkNotification' {
    It 'posts notices to the environment''s webhook as Slack text, and -WhatIf posts nothing' {
        $before = (Get-Delivered).Count
        $notice = New-SkDeploymentNotice -Kind Started -Version v9.9.9 -Environment staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $notice | Send-SkNotification staging -WhatIf -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG | Should -BeNullOrEmpty
        (Get-Delivered).Count | Should -Be $before
        $result = $notice | Send-SkNotification staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $result.StatusCode | Should -Be 200
        $result.Destination | Should -Be '127.0.0.1'
        $delivered = Get-Delivered
        $delivered.Count | Should -Be ($before + 1)
        ($delivered[-1].body | ConvertFrom-Json).text | Should -Match '^🚀 \*Deployment Started\*\n\n\*Version\*: v9\.9\.9'
    }

    It 'refuses what is not a notice and a missing webhook with their error ids' {
        $id = 'Skillancer.Deploy.Notifications.SendSkNotificationCommand'
        Get-FullyQualifiedErrorId { 'hello' | Send-SkNotification staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "NotANotice,$id"
        $notice = New-SkDeploymentNotice -Kind Started -Version v1 -Environment staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        Get-FullyQualifiedErrorId { $notice | Send-SkNotification } | Should -Be "WebhookNotConfigured,$id"
    }
}
