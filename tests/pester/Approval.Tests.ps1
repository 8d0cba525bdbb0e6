# Approvals by a second person (issue 13): production changes need their version approved by an approver, with the
# approver's own kubeconfig; the sandbox's RBAC and the module's approvers list decide who may approve.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Approver = (Get-SandboxInfo).kubeconfigs.approver
    $script:Viewer = (Get-SandboxInfo).kubeconfigs.viewer
    # Production enforces the schedule; these tests are about approval, so every change is an emergency.
    $script:Emergency = @{ Force = $true; Emergency = $true; Reason = 'pester' }

    function Get-Refusal([scriptblock] $Command) {
        # The first error the command reports (written or thrown); the test fails when there is none.
        try { $errors = @(& $Command 2>&1 3>$null | Where-Object { $_ -is [Management.Automation.ErrorRecord] }) }
        catch { return $_ }
        if ($errors.Count -eq 0) { throw 'The command did not fail.' }
        $errors[0]
    }
}

Describe 'A production change without an approval' {
    It 'is refused with ApprovalRequired, naming the command to send to an approver, and sends nothing' {
        $cluster = New-TestCluster
        $refusal = Get-Refusal { Start-SkRollout production 1.2.3 -Service web -ConfigPath $cluster.ConfigPath @Emergency }

        $refusal.FullyQualifiedErrorId | Should -BeLike 'ApprovalRequired,*'
        "$refusal" | Should -Match ([regex]::Escape('Send this to an approver: Approve-SkDeployment -Environment production -Version v1.2.3'))
        "$refusal" | Should -Match 'group:eng-leads'
        Get-MutatingRequest $cluster.Production -IncludeState | Should -BeNullOrEmpty
        (Get-SkDeployment production -ConfigPath $cluster.ConfigPath).Version | Sort-Object -Unique | Should -Be 'v1.2.2'
    }

    It 'is refused for a flag change, which names its release with -Version; the kill switch needs no approval' {
        $cluster = New-TestCluster
        $noVersion = Get-Refusal { Set-SkFeatureFlag production new_dashboard -Enabled -ConfigPath $cluster.ConfigPath @Emergency }
        $noApproval = Get-Refusal { Set-SkFeatureFlag production new_dashboard -Enabled -Version 1.2.3 -ConfigPath $cluster.ConfigPath @Emergency }
        $killed = Set-SkFeatureFlag production new_dashboard -Enabled:$false -Force -ConfigPath $cluster.ConfigPath

        $noVersion.FullyQualifiedErrorId | Should -BeLike 'ApprovalRequired,*'
        "$noVersion" | Should -Match '-Version'
        $noApproval.FullyQualifiedErrorId | Should -BeLike 'ApprovalRequired,*'
        $killed.Enabled | Should -BeFalse
        $record = Get-SkDeploymentLog production -Kind Flag -ConfigPath $cluster.ConfigPath
        ($record.Recovery, $record.ApprovedBy.Count) | Should -Be @($true, 0)
    }
}

Describe 'Approve-SkDeployment' {
    It 'lets the approver approve with their own kubeconfig; the rollout then goes through and its record names both' {
        $cluster = New-TestCluster
        $approval = Approve-SkDeployment production 1.2.3 -Comment 'CHG-1042' -Kubeconfig $Approver -ConfigPath $cluster.ConfigPath
        $results = Start-SkRollout production 1.2.3 -Service web -ConfigPath $cluster.ConfigPath @Emergency 3>$null

        ($approval.Version, $approval.Approver.UserName, $approval.Comment, $approval.Status) | Should -Be @('v1.2.3', 'lead@skillancer.test', 'CHG-1042', 'Valid')
        $results.Status | Should -Be 'Complete'
        $rollout = Get-SkDeploymentLog production -Kind Rollout -ConfigPath $cluster.ConfigPath
        $rollout.Who.UserName | Should -Be 'deployer@skillancer.test'
        $rollout.ApprovedBy | Should -BeLike "lead@skillancer.test (approval $($approval.Id)*"
        $given = Get-SkDeploymentLog production -Kind Approval -ConfigPath $cluster.ConfigPath
        ($given.Who.UserName, $given.Version) | Should -Be @('lead@skillancer.test', 'v1.2.3')
        (Get-SkApproval production -Version v1.2.3 -ConfigPath $cluster.ConfigPath).Id | Should -Be $approval.Id
        (Get-SkApproval production -ConfigPath $cluster.ConfigPath | Out-String -Width 80) | Should -Match "$($approval.Id)\s+v1\.2\.3\s+Valid\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+lead@skillancer\.test"
    }

    It 'refuses the deployer, who is no approver, and the viewer, whom the cluster''s RBAC refuses, with ApprovalForbidden' {
        $cluster = New-TestCluster
        $deployer = Get-Refusal { Approve-SkDeployment production 1.2.3 -ConfigPath $cluster.ConfigPath }
        # approvers: [] lets anyone the cluster lets approve: only RBAC stands in the viewer's way then.
        $anyone = New-TestConfig -Yaml ((Get-Content -Raw $cluster.ConfigPath) -replace 'approvers: \[group:eng-leads\]', 'approvers: []')
        $viewer = Get-Refusal { Approve-SkDeployment production 1.2.3 -Kubeconfig $Viewer -ConfigPath $anyone }

        $deployer.FullyQualifiedErrorId | Should -BeLike 'ApprovalForbidden,*'
        "$deployer" | Should -Match 'deployer@skillancer\.test \(groups skillancer-deployers, system:authenticated\) is not in approval\.approvers'
        $viewer.FullyQualifiedErrorId | Should -BeLike 'ApprovalForbidden,*'
        "$viewer" | Should -Match "the cluster's RBAC does not let viewer@skillancer\.test create secrets"
        Get-SkApproval production -ConfigPath $cluster.ConfigPath | Should -BeNullOrEmpty
        Get-MutatingRequest $cluster.Production -IncludeState | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf, and refuses a -ValidFor longer than approval.validFor before any request' {
        $cluster = New-TestCluster
        Approve-SkDeployment production 1.2.3 -Kubeconfig $Approver -WhatIf -ConfigPath $cluster.ConfigPath | Should -BeNullOrEmpty
        Get-FullyQualifiedErrorId { Approve-SkDeployment production 1.2.3 -ValidFor 9h -Kubeconfig $Approver -ConfigPath $cluster.ConfigPath } | Should -BeLike 'InvalidApproval,*'
        Get-FullyQualifiedErrorId { Approve-SkDeployment staging 1.2.3 -Kubeconfig $Approver -ConfigPath $cluster.ConfigPath } | Should -BeLike 'InvalidApproval,*'

        Get-SkApproval production -ConfigPath $cluster.ConfigPath | Should -BeNullOrEmpty
        Get-MutatingRequest $cluster.Production -IncludeState | Should -BeNullOrEmpty
    }
}

Describe 'An approval that no longer counts' {
    It 'refuses the rollout once the approval is revoked, and journals the revocation' {
        $cluster = New-TestCluster
        Approve-SkDeployment production 1.2.3 -Kubeconfig $Approver -ConfigPath $cluster.ConfigPath | Out-Null
        $revoked = Get-SkApproval production 1.2.3 -ConfigPath $cluster.ConfigPath | Revoke-SkApproval -Kubeconfig $Approver -ConfigPath $cluster.ConfigPath
        $refusal = Get-Refusal { Start-SkRollout production 1.2.3 -Service web -ConfigPath $cluster.ConfigPath @Emergency }

        ($revoked.Status, $revoked.RevokedBy.UserName) | Should -Be @('Revoked', 'lead@skillancer.test')
        $refusal.FullyQualifiedErrorId | Should -BeLike 'ApprovalRequired,*'
        @(Get-SkDeploymentLog production -Kind Approval -ConfigPath $cluster.ConfigPath).Steps.Status | Should -Be @('Revoked', 'Approved')
        Get-FullyQualifiedErrorId { Revoke-SkApproval production $revoked.Id -Kubeconfig $Approver -ConfigPath $cluster.ConfigPath } | Should -BeLike 'ApprovalNotFound,*'
    }

    It 'refuses the rollout once the approval has expired, saying when it did' {
        $cluster = New-TestCluster
        Approve-SkDeployment production 1.2.3 -ValidFor 1s -Kubeconfig $Approver -ConfigPath $cluster.ConfigPath | Out-Null
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Get-SkApproval production -ConfigPath $cluster.ConfigPath).Status -ne 'Expired') {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'The approval did not expire within 30 s.' }
            Start-Sleep -Milliseconds 100
        }
        $refusal = Get-Refusal { Start-SkRollout production 1.2.3 -Service web -ConfigPath $cluster.ConfigPath @Emergency }

        $refusal.FullyQualifiedErrorId | Should -BeLike 'ApprovalRequired,*'
        "$refusal" | Should -Match "lead@skillancer\.test's expired at"
        Get-MutatingRequest $cluster.Production | Should -BeNullOrEmpty
    }
}
