# Set-SkFeatureFlag and Get-SkFeatureFlag against the sandbox's feature-flag API, each test with the flags of its own namespace.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    function Get-FlagPost([string] $Namespace) {
        $all = Invoke-RestMethod -Uri "$((Get-SandboxInfo).baseUrl)sandbox/requests?mutating=true"
        @($all | Where-Object { $_.method -eq 'POST' -and $_.path -eq "/svc/$Namespace/internal/feature-flags" })
    }
}

Describe 'Set-SkFeatureFlag' {
    It 'enables a flag, rolls it out to a share of users and kills it, returning each new state' {
        $cluster = New-TestCluster
        $on = Set-SkFeatureFlag staging new_dashboard -Enabled -ConfigPath $cluster.ConfigPath
        $share = Set-SkFeatureFlag staging new_dashboard -RolloutPercentage 25 -ConfigPath $cluster.ConfigPath
        $off = Set-SkFeatureFlag staging new_dashboard -Enabled:$false -ConfigPath $cluster.ConfigPath
        $on.Enabled | Should -BeTrue
        $share.RolloutPercentage | Should -Be 25
        $off.Enabled | Should -BeFalse
        $off.Environment | Should -Be 'staging'
        ($off | Out-String) | Should -Match "new_dashboard\s+⛔`u{FE0F} off\s+25%"
    }

    It 'asks in production, and -WhatIf sends nothing' {
        $cluster = New-TestCluster
        Set-SkFeatureFlag production new_dashboard -Enabled -WhatIf -ConfigPath $cluster.ConfigPath | Should -BeNullOrEmpty
        Get-FlagPost $cluster.Production | Should -BeNullOrEmpty
        (Get-Command Set-SkFeatureFlag).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
        Approve-TestRelease -ConfigPath $cluster.ConfigPath
        (Set-SkFeatureFlag production new_dashboard -Enabled -Version 1.2.3 -Force -Emergency -Reason 'pester' -ConfigPath $cluster.ConfigPath 3>$null).Enabled | Should -BeTrue
        @(Get-FlagPost $cluster.Production).Count | Should -Be 1
    }

    It 'names an unknown flag, a refused token and a missing token with their error ids' {
        $cluster = New-TestCluster
        $id = 'Skillancer.Deploy.FeatureFlags.SetSkFeatureFlagCommand'
        Get-FullyQualifiedErrorId { Set-SkFeatureFlag staging no_such_flag -Enabled -ConfigPath $cluster.ConfigPath } | Should -Be "FeatureFlagNotFound,$id"
        $saved = $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN
        try {
            $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = 'not-the-admin-token'
            $failure = $null
            try { Set-SkFeatureFlag staging new_dashboard -Enabled -ConfigPath $cluster.ConfigPath -ErrorAction Stop } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -Be "FeatureFlagAccessDenied,$id"
            "$failure" | Should -Match 'SKDEPLOY_SANDBOX_ADMIN_TOKEN'
            "$failure" | Should -Not -Match 'not-the-admin-token'
            $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = $null
            Get-FullyQualifiedErrorId { Set-SkFeatureFlag staging new_dashboard -Enabled -ConfigPath $cluster.ConfigPath } | Should -Be "SecretNotSet,$id"
        }
        finally { $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = $saved }
    }
    It 'takes a piped flag to its own environment, and refuses one from another environment or of another name, sending nothing' {
        $cluster = New-TestCluster
        $killed = Get-SkFeatureFlag staging problematic_feature -ConfigPath $cluster.ConfigPath | Set-SkFeatureFlag -Enabled:$false -ConfigPath $cluster.ConfigPath
        $killed.Environment | Should -Be 'staging'
        $killed.Enabled | Should -BeFalse
        @(Get-FlagPost $cluster.Staging).Count | Should -Be 1
        $id = 'Skillancer.Deploy.FeatureFlags.SetSkFeatureFlagCommand'
        Get-FullyQualifiedErrorId { Get-SkFeatureFlag staging new_dashboard -ConfigPath $cluster.ConfigPath | Set-SkFeatureFlag -Environment production -Enabled -Force -Emergency -Reason 'pester' -ConfigPath $cluster.ConfigPath 3>$null } | Should -Be "TargetMismatch,$id"
        Get-FullyQualifiedErrorId { Get-SkFeatureFlag staging new_dashboard -ConfigPath $cluster.ConfigPath | Set-SkFeatureFlag -Name proposal_drafts -Enabled -ConfigPath $cluster.ConfigPath } | Should -Be "TargetMismatch,$id"
        Get-FlagPost $cluster.Production | Should -BeNullOrEmpty
        @(Get-FlagPost $cluster.Staging).Count | Should -Be 1
    }

    It 'refuses a missing token before the policy asks anything, even in production' {
        $cluster = New-TestCluster
        $saved = $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN
        try {
            $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = $null
            # Non-interactive and without -Force, production would need a confirmation: the missing token is found first.
            $run = Invoke-ChildPwsh -Script 'Import-Module $env:SKDEPLOY_MODULE_PATH; try { Set-SkFeatureFlag production new_dashboard -Enabled -ConfigPath $env:CONFIG -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }' -Environment @{ CONFIG = $cluster.ConfigPath }
            $run.Output | Should -Match '^SecretNotSet,'
        }
        finally { $env:SKDEPLOY_SANDBOX_ADMIN_TOKEN = $saved }
        Get-FlagPost $cluster.Production | Should -BeNullOrEmpty
    }
}

Describe 'Get-SkFeatureFlag' {
    It 'lists every flag, reads one, and filters by wildcard' {
        $cluster = New-TestCluster
        (Get-SkFeatureFlag staging -ConfigPath $cluster.ConfigPath).Name | Should -Be @('new_dashboard', 'problematic_feature', 'proposal_drafts')
        (Get-SkFeatureFlag staging problematic_feature -ConfigPath $cluster.ConfigPath).Enabled | Should -BeTrue
        (Get-SkFeatureFlag staging -Name 'pro*' -ConfigPath $cluster.ConfigPath).Name | Should -Be @('problematic_feature', 'proposal_drafts')
        (Get-SkFeatureFlag staging -Name 'new_dashboard', '*drafts' -ConfigPath $cluster.ConfigPath).Name | Should -Be @('new_dashboard', 'proposal_drafts')
        Get-FullyQualifiedErrorId { Get-SkFeatureFlag staging nope -ConfigPath $cluster.ConfigPath } | Should -Be 'FeatureFlagNotFound,Skillancer.Deploy.FeatureFlags.GetSkFeatureFlagCommand'
    }

    It 'completes -Name from the API' {
        $cluster = New-TestCluster
        $line = "Set-SkFeatureFlag -ConfigPath '$($cluster.ConfigPath)' -Environment staging -Name pro"
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Be @('problematic_feature', 'proposal_drafts')
    }
}
