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

    It 'reads the key changes of its version from CHANGELOG.md when none are piped, and says where with -Verbose' {
        $git = New-GitWorkspace -Version '1.2.2'
        git -C $git.Clone commit --quiet --allow-empty -m 'feat(jobs): search by skill'
        git -C $git.Clone commit --quiet --allow-empty -m 'fix: login redirect loop'
        $null = Update-SkChangelog -Path $git.Clone -Version 1.2.3 -Commit
        # A later session: nothing piped, only the repository to read.
        Push-Location $git.Clone
        try { $records = New-SkDeploymentNotice -Kind Complete -Version v1.2.3 -Verbose 4>&1 }
        finally { Pop-Location }
        $notice = $records | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
        $notice.Text | Should -Match "Key changes:\n- \*\*jobs:\*\* search by skill \([0-9a-f]{7}\)\n- login redirect loop \([0-9a-f]{7}\)\n\nNo user action required\.$"
        $changelog = Join-Path $git.Clone 'CHANGELOG.md'
        ($records | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message | Should -Contain "Read the key changes of v1.2.3 from $changelog`: 2 entries."
        (New-SkDeploymentNotice -Kind Complete -Version 1.2.3 -Path $git.Clone).Text | Should -Match 'Key changes:\n- \*\*jobs:\*\* search by skill'
    }

    It 'says so in the notice and a warning when the changelog has no section for its version' {
        $git = New-GitWorkspace -Version '1.2.2'
        git -C $git.Clone commit --quiet --allow-empty -m 'feat: something'
        $null = Update-SkChangelog -Path $git.Clone -Version 1.2.3
        $notice = New-SkDeploymentNotice -Kind Complete -Version v9.9.9 -Path $git.Clone -WarningVariable warnings 3>$null
        $notice.Text | Should -Match 'Key changes: not recorded \(CHANGELOG\.md has no section for v9\.9\.9\)\.'
        "$warnings" | Should -Match 'has no section for v9\.9\.9, so the notice says its key changes were not recorded\. Write it with Update-SkChangelog -Version 9\.9\.9 -Commit'
        $outside = New-SkDeploymentNotice -Kind Complete -Version v1.2.3 -Path $TestDrive -WarningVariable missing 3>$null
        $outside.Text | Should -Match 'Key changes: not recorded \(no CHANGELOG\.md was found\)\.'
        "$missing" | Should -Match 'There is no changelog at '
        Get-FullyQualifiedErrorId { New-SkDeploymentNotice -Kind Complete -Version v1.2.3 -Path $git.Clone -ChangelogPath 'docs/NOPE.md' } |
            Should -Be 'ChangelogNotFound,Skillancer.Deploy.Notifications.NewSkDeploymentNoticeCommand'
    }

    It 'carries the environment it is about' {
        (New-SkDeploymentNotice staging -Kind Started -Version v1 -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG).Environment | Should -Be 'staging'
        (New-SkDeploymentNotice -Kind Complete -Version v1 -KeyChanges 'x').Environment | Should -BeNullOrEmpty
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
        $notice = New-SkDeploymentNotice -Kind Complete -Version v1 -KeyChanges 'Search jobs by skill'
        Get-FullyQualifiedErrorId { $notice | Send-SkNotification } | Should -Be "WebhookNotConfigured,$id"
    }

    It 'sends a notice to the webhook of the environment it carries, with no -Environment again' {
        $before = (Get-Delivered).Count
        $result = New-SkDeploymentNotice staging -Kind Started -Version v9.9.8 -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG | Send-SkNotification -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $result.StatusCode | Should -Be 200
        $delivered = Get-Delivered
        $delivered.Count | Should -Be ($before + 1)
        ($delivered[-1].body | ConvertFrom-Json).text | Should -Match '\*Version\*: v9\.9\.8\n\*Environment\*: staging'
    }

    It 'takes a rollback from the cluster to the webhook, naming the environment once' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath | Out-Null
        $before = (Get-Delivered).Count
        $sent = Undo-SkDeployment staging web -ConfigPath $cluster.ConfigPath |
            New-SkDeploymentNotice -Kind Rollback -Reason 'smoke tests failed' |
            Send-SkNotification -ConfigPath $cluster.ConfigPath
        $sent.Kind | Should -Be 'Rollback'
        $delivered = Get-Delivered
        $delivered.Count | Should -Be ($before + 1)
        ($delivered[-1].body | ConvertFrom-Json).text | Should -Match '(?s)Deployment Rollback\*.*\*Service\*: web\n\*From Version\*: v1\.2\.3\n\*To Version\*: v1\.2\.2'
    }

    It 'refuses an -Environment other than the notice''s with TargetMismatch naming both, and sends nothing' {
        $id = 'Skillancer.Deploy.Notifications.SendSkNotificationCommand'
        $before = (Get-Delivered).Count
        $staging = New-SkDeploymentNotice staging -Kind Started -Version v9.9.7 -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $other = New-SkDeploymentNotice production -Kind Started -Version v9.9.7 -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        Get-FullyQualifiedErrorId { $staging | Send-SkNotification production -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG } | Should -Be "TargetMismatch,$id"
        { $other, $staging | Send-SkNotification production -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "The notice ""🚀 Deployment Started"" is about 'staging', but -Environment names 'production'. *"
        $other, $staging | Send-SkNotification production -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG -ErrorAction SilentlyContinue -WarningVariable held 3>$null
        "$held" | Should -Match 'Nothing was sent: 1 input\(s\) were refused, so the other 1 notice\(s\) were held back too'
        (Get-Delivered).Count | Should -Be $before
    }
}
