# The environment policy (schedule and approval of the target environment) as every state-changing
# cmdlet applies it: issue 12's findings 2 (the schedule held only in Test-SkDeploymentWindow) and 7
# (a non-interactive runner got UnexpectedError instead of the switch to add).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule

    function New-PolicyConfig {
        <#
        The test cluster's configuration with production closed (a blackout from an hour ago until tomorrow:
        the config cannot say "outside a window" at a fixed time, a blackout can) or open (production keeps
        requireApproval but does not enforce the schedule).
        #>
        param([Parameter(Mandatory)] $Cluster, [ValidateSet('Closed', 'Open')] [string] $Schedule)
        $yaml = Get-Content -Raw $Cluster.ConfigPath
        if ($Schedule -eq 'Closed') {
            $now = [DateTimeOffset]::UtcNow
            $start = $now.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture)
            $end = $now.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture)
            $yaml = $yaml.TrimEnd() + "`n    blackouts:`n      - { name: Pester freeze, start: $start, end: $end }`n"
        }
        else {
            $yaml = $yaml -replace '(?m)^(\s+)enforceSchedule: true', '${1}enforceSchedule: false'
        }
        New-TestConfig -Yaml $yaml
    }

    function Get-MutatingCount {
        @(Invoke-RestMethod -Uri "$((Get-SandboxInfo).baseUrl)sandbox/requests?mutating=true").Count
    }
}

Describe 'The schedule of the target environment (finding 2)' {
    BeforeAll {
        $script:cluster = New-TestCluster
        $script:closed = New-PolicyConfig -Cluster $cluster -Schedule Closed
    }

    It 'refuses Start-SkRollout production 1.2.3 in a blackout, naming the next window and the emergency path, and sends nothing' {
        $failure = $null
        Start-SkRollout production 1.2.3 -ConfigPath $closed -Force -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -Be 'DeploymentWindowClosed,Skillancer.Deploy.Kubernetes.StartSkRolloutCommand'
        "$($failure[0])" | Should -Match "Blackout 'Pester freeze'"
        "$($failure[0])" | Should -Match 'Next window: \w+day \d{4}-\d\d-\d\d \d\d:\d\d UTC'
        "$($failure[0])" | Should -Match ([regex]::Escape("-Emergency -Reason '"))
        Get-MutatingRequest -Namespace $cluster.Production | Should -BeNullOrEmpty
        (Get-SkDeployment production -ConfigPath $closed).Version | Sort-Object -Unique | Should -Be 'v1.2.2'
    }

    It 'refuses before it asks for approval: without -Force the answer is the same, with no prompt' {
        Get-FullyQualifiedErrorId { Start-SkRollout production 1.2.3 -Service web -ConfigPath $closed } |
            Should -Be 'DeploymentWindowClosed,Skillancer.Deploy.Kubernetes.StartSkRolloutCommand'
    }

    It 'holds for every cmdlet that changes the environment, and none of them sends anything' {
        $before = Get-MutatingCount
        Get-FullyQualifiedErrorId { Set-SkFeatureFlag production new_dashboard -Enabled -Force -ConfigPath $closed } | Should -BeLike 'DeploymentWindowClosed,*'
        Get-FullyQualifiedErrorId { Clear-SkCdnCache production -Path '/*' -Force -ConfigPath $closed } | Should -BeLike 'DeploymentWindowClosed,*'
        Get-FullyQualifiedErrorId { Start-SkCanary production web 1.2.3 -Force -ConfigPath $closed } | Should -BeLike 'DeploymentWindowClosed,*'
        Get-FullyQualifiedErrorId { Set-SkCanaryWeight production web 20 -Force -ConfigPath $closed } | Should -BeLike 'DeploymentWindowClosed,*'
        Get-FullyQualifiedErrorId { Complete-SkCanary production web -Force -ConfigPath $closed } | Should -BeLike 'DeploymentWindowClosed,*'
        Get-FullyQualifiedErrorId { Publish-SkFrontend production Kubernetes -Version 1.2.3 -Force -ConfigPath $closed } | Should -BeLike 'DeploymentWindowClosed,*'
        Get-FullyQualifiedErrorId { Invoke-SkMigration production -Force -ConfigPath $closed } | Should -BeLike 'DeploymentWindowClosed,*'
        Get-MutatingCount | Should -Be $before
    }

    It '-Emergency without -Reason is EmergencyReasonRequired and sends nothing' {
        Get-FullyQualifiedErrorId { Start-SkRollout production 1.2.3 -ConfigPath $closed -Force -Emergency } |
            Should -Be 'EmergencyReasonRequired,Skillancer.Deploy.Kubernetes.StartSkRolloutCommand'
        Get-MutatingRequest -Namespace $cluster.Production | Should -BeNullOrEmpty
    }

    It '-Emergency -Reason goes ahead and writes the runbook''s emergency duties as warnings; Undo-SkDeployment is never blocked' {
        Approve-TestRelease -ConfigPath $closed
        $warnings = $null
        $results = Start-SkRollout production 1.2.3 -Service api-gateway -ConfigPath $closed -Force -Emergency -Reason 'INC-7: checkout down' -WarningVariable warnings -WarningAction SilentlyContinue
        $results.Status | Should -Be 'Complete'
        @(Get-MutatingRequest -Namespace $cluster.Production).Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'INC-7: checkout down'
        $warnings | ForEach-Object { "$_" } | Should -Contain '  - Notify the on-call engineer and the engineering lead.'

        $undone = Undo-SkDeployment production api-gateway -ConfigPath $closed -Force
        $undone.Status | Should -Be 'RolledBack'
        (Get-SkDeployment production -Service api-gateway -ConfigPath $closed).Version | Should -Be 'v1.2.2'
    }

    It 'lets the flag kill switch (-Enabled:$false) through' {
        (Set-SkFeatureFlag production new_dashboard -Enabled:$false -Force -ConfigPath $closed).Enabled | Should -BeFalse
    }
}

Describe 'Confirmation in a non-interactive host (finding 7)' {
    BeforeAll {
        $script:cluster = New-TestCluster
        $script:open = New-PolicyConfig -Cluster $cluster -Schedule Open
    }

    It 'pwsh -NonInteractive: ConfirmationRequired naming -Force, -WhatIf asks nothing, -Confirm:$false and -Force proceed once approved' {
        Approve-TestRelease -ConfigPath $open -Version 1.2.3
        Approve-TestRelease -ConfigPath $open -Version 1.2.4
        $script = @'
Import-Module $env:SKDEPLOY_MODULE_PATH
Start-SkRollout production 1.2.3 -Service web -ConfigPath $env:POLICY_CONFIG
"ID1=$($Error[0].FullyQualifiedErrorId)"
"MESSAGE1=$($Error[0].Exception.Message)"
$Error.Clear()
$whatIf = Start-SkRollout production 1.2.3 -Service web -ConfigPath $env:POLICY_CONFIG -WhatIf
"WHATIF=$($Error.Count) $(@($whatIf).Count)"
Start-SkRollout production 1.2.3 -Service web -ConfigPath $env:POLICY_CONFIG -Confirm:$false | ForEach-Object { "CONFIRMED=$($_.Status)" }
Start-SkRollout production 1.2.4 -Service web -ConfigPath $env:POLICY_CONFIG -Force | ForEach-Object { "FORCED=$($_.Status)" }
'@
        $before = @(Get-MutatingRequest -Namespace $cluster.Production).Count
        $run = Invoke-ChildPwsh -Script $script -Environment @{ POLICY_CONFIG = $open }
        $before | Should -Be 0
        $run.Output | Should -Match 'ID1=ConfirmationRequired,Skillancer\.Deploy\.Kubernetes\.StartSkRolloutCommand'
        $run.Output | Should -Match 'MESSAGE1=.*Run again with -Force \(or -Confirm:\$false\)'
        $run.Output | Should -Match 'WHATIF=0 0'
        $run.Output | Should -Match 'CONFIRMED=Complete'
        $run.Output | Should -Match 'FORCED=Complete'
        $run.Output | Should -Not -Match 'UnexpectedError'
        # Only the confirmed runs changed the cluster: two patches of web.
        @(Get-MutatingRequest -Namespace $cluster.Production).Count | Should -Be 2
    }

    It 'approves the automatic rollbacks of Wait -UndoOnFailure and Watch -AutoRollback before it waits or watches' {
        $script = @'
Import-Module $env:SKDEPLOY_MODULE_PATH
$waited = Wait-SkRollout production web -UndoOnFailure -ConfigPath $env:POLICY_CONFIG -ErrorAction SilentlyContinue
"WAIT=$($Error[0].FullyQualifiedErrorId) $(@($waited).Count)"
$Error.Clear()
$samples = [Collections.Generic.List[object]]::new()
Watch-SkErrorRate production -AutoRollback -Duration 1m -Interval 1s -ConfigPath $env:POLICY_CONFIG -ErrorAction SilentlyContinue | ForEach-Object { $samples.Add($_) }
"WATCH=$($Error[0].FullyQualifiedErrorId) $($samples.Count)"
(Wait-SkRollout production web -UndoOnFailure -Force -ConfigPath $env:POLICY_CONFIG) | ForEach-Object { "FORCED=$($_.Status)" }
'@
        $before = @(Get-MutatingRequest -Namespace $cluster.Production).Count
        $run = Invoke-ChildPwsh -Script $script -Environment @{ POLICY_CONFIG = $open }
        # Refused up front: nothing waited for, not one sample taken.
        $run.Output | Should -Match 'WAIT=ConfirmationRequired,Skillancer\.Deploy\.Kubernetes\.WaitSkRolloutCommand 0'
        $run.Output | Should -Match 'WATCH=ConfirmationRequired,Skillancer\.Deploy\.Verification\.WatchSkErrorRateCommand 0'
        $run.Output | Should -Match 'FORCED=Complete'
        @(Get-MutatingRequest -Namespace $cluster.Production).Count | Should -Be $before   # nothing failed, nothing rolled back
    }

    It 'asks nothing of an environment that does not require approval, even non-interactively' {
        $run = Invoke-ChildPwsh -Script 'Import-Module $env:SKDEPLOY_MODULE_PATH; (Start-SkRollout staging 1.2.3 -Service web -ConfigPath $env:POLICY_CONFIG).Status' -Environment @{ POLICY_CONFIG = $open }
        $run.Output.Trim() | Should -Be 'Complete'
    }
}
