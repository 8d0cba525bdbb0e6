# Test-SkPreflight (issue 14): the runbook's pre-deployment checklist, each item asked of its system of record in the
# sandbox: real PostgreSQL databases for staging and production, the flag API, a real Prometheus and its rules, the
# cluster (revisions, RBAC, the lock, canaries) and the journal.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule

    function Find-Result([object[]] $Results, [string] $Name) { $Results | Where-Object Item -EQ $Name }

    function Set-CiChecks {
        <# Sets the check runs and statuses of a commit (or a release branch's head) on the sandbox's GitHub. #>
        param([string] $Ref, [object[]] $CheckRuns = @(), [object[]] $Statuses = @(), [string] $Repository = 'skillancer/skillancer')
        $body = @{ checkRuns = @($CheckRuns); statuses = @($Statuses) } | ConvertTo-Json -Depth 4
        Invoke-RestMethod -Method Put -Uri "$((Get-SandboxInfo).baseUrl)sandbox/github/repos/$Repository/checks?ref=$([Uri]::EscapeDataString($Ref))" -ContentType 'application/json' -Body $body
    }

    function New-CiRepository {
        <# A configuration whose ci.repository is a repository of its own on the sandbox's GitHub, so a test's checks touch no other test's. #>
        param([string] $ConfigPath)
        $repository = 'skillancer/pester-' + [Guid]::NewGuid().ToString('N').Substring(0, 8)
        [pscustomobject]@{ Repository = $repository; ConfigPath = (New-TestConfig -Yaml ((Get-Content -Raw $ConfigPath) -replace 'repository: skillancer/skillancer', "repository: $repository")) }
    }
}

Describe 'Test-SkPreflight' {
    It 'passes staging: every item answered by its system, the on-call from PagerDuty, the notice sent with -Notify' {
        $setup = New-TestClusterWithDatabases
        Invoke-SkMigration staging -ConfigPath $setup.ConfigPath -WarningAction SilentlyContinue | Out-Null
        $results = Test-SkPreflight staging 1.2.3 -Notify -ConfigPath $setup.ConfigPath 3>$null

        $results | ForEach-Object Item | Should -Be @('CiPassing', 'MigrationsTested', 'FeatureFlags', 'Alerts', 'RollbackPlan', 'StakeholdersNotified', 'DeploymentWindow', 'OnCall', 'Images', 'ClusterAccess', 'StartingPoint')
        $results | Where-Object Status -EQ 'Failed' | ForEach-Object { "$_" } | Should -BeNullOrEmpty
        (Find-Result $results CiPassing).Detail | Should -Match '^All 4 CI checks passed on skillancer/skillancer@[0-9a-f]{7} \(release/v1\.2\.3\)\.$'
        (Find-Result $results MigrationsTested).Status | Should -Be 'NotConfigured'   # staging is promoted from nowhere
        (Find-Result $results FeatureFlags).Status | Should -Be 'Passed'
        (Find-Result $results Alerts).Status | Should -BeIn 'Passed', 'Warning'
        (Find-Result $results ClusterAccess).Evidence | Should -Match '^\d+ permissions$'
        (Find-Result $results OnCall).Detail | Should -Match '^Dana Whitfield is on call for schedule PSANDBOX, through the monitoring period'
        (Find-Result $results Images).Evidence | Should -Be '5 manifests'
        (Find-Result $results StakeholdersNotified).Detail | Should -Match 'Deployment Started'
        Test-SkPreflight staging 1.2.3 -Quiet -ConfigPath $setup.ConfigPath 3>$null | Should -BeTrue
        (Test-SkPreflight staging 1.2.3 -Item StakeholdersNotified -Notify -WhatIf -ConfigPath $setup.ConfigPath).Status | Should -Be 'Skipped'
        @(Get-SkDeploymentLog staging -Kind Notice -ConfigPath $setup.ConfigPath).Count | Should -Be 1   # -WhatIf sent none
    }

    It 'needs the on-call attested where no provider is configured, and journals who attested it and why' {
        $setup = New-TestClusterWithDatabases
        $config = New-TestConfig -Yaml ((Get-Content -Raw $setup.ConfigPath) -replace '(?m)^    onCall:\s*\n(      .*\n)+', '')
        $unattested = Test-SkPreflight staging 1.2.3 -Item OnCall -ConfigPath $config -ErrorAction SilentlyContinue
        $attested = Test-SkPreflight staging 1.2.3 -Item OnCall -Attest OnCall -Reason 'Dana is on call (pester)' -ConfigPath $config

        $unattested.Status | Should -Be 'Failed'
        $unattested.Detail | Should -Match ([regex]::Escape("-Attest OnCall -Reason '<who is on call>'"))
        $attested.Status | Should -Be 'Attested'
        $preflight = Get-SkDeploymentLog staging -Kind Preflight -ConfigPath $config
        ($preflight.Who.UserName, $preflight.Version) | Should -Be @('deployer@skillancer.test', 'v1.2.3')
        ($preflight.Steps | Where-Object Name -EQ 'OnCall').Detail | Should -Be 'Attested: Dana is on call (pester)'
        # Where PagerDuty answers, nobody talks over it.
        Get-FullyQualifiedErrorId { Test-SkPreflight staging 1.2.3 -Attest OnCall -Reason 'trust me' -ConfigPath $setup.ConfigPath } | Should -BeLike 'PreflightNotAttestable,*'
    }

    It 'asks for a missing attestation in an interactive host, item by item, and records the answer' {
        $setup = New-TestClusterWithDatabases
        $config = New-TestConfig -Yaml ((Get-Content -Raw $setup.ConfigPath) -replace '(?m)^    onCall:\s*\n(      .*\n)+', '' -replace '(?m)^(    preflight:\s*\n)?(?=    kubernetes:)', "    preflight:`n      attest: [RollbackPlan]`n")
        $yes = Invoke-Answering -Choices 1, 0 -Answers 'Dana confirmed on Slack (asked)' -Command "Test-SkPreflight staging 1.2.3 -Item OnCall, RollbackPlan -ConfigPath '$config'"
        $quiet = Invoke-Answering -Choices @() -Answers @() -Command "Test-SkPreflight staging 1.2.3 -Item OnCall -Quiet -ConfigPath '$config'"

        # In the runbook's order: the rollback plan (answered No), then the on-call engineer (Yes, and why).
        $yes.Asked[0] | Should -Match '^Attest RollbackPlan: No system answers "Rollback plan documented"'
        $yes.Asked[1] | Should -Be "Attest OnCall: No system answers ""On-call engineer available"" for staging here. Did you check it yourself?"
        $yes.Asked[2] | Should -Be 'Attest OnCall: Why does it hold? (recorded in the journal)'
        ($yes.Output | Where-Object Item -EQ OnCall).Status | Should -Be 'Attested'
        ($yes.Output | Where-Object Item -EQ OnCall).Detail | Should -Be 'Attested: Dana confirmed on Slack (asked)'
        ($yes.Output | Where-Object Item -EQ RollbackPlan).Status | Should -Be 'Failed'   # answered No
        $yes.Errors[0].FullyQualifiedErrorId | Should -BeLike 'PreflightFailed,*'
        $record = Get-SkDeploymentLog staging -Kind Preflight -ConfigPath $config
        ($record.Steps | Where-Object Name -EQ 'OnCall').Detail | Should -Be 'Attested: Dana confirmed on Slack (asked)'
        $record.Who.UserName | Should -Be 'deployer@skillancer.test'
        $quiet.Asked | Should -BeNullOrEmpty   # -Quiet asks nothing
        $quiet.Output | Should -Be $false
    }

    It 'fails the on-call item when nobody is on call, when the shift ends before the monitoring does, and for a wrong token' {
        $setup = New-TestClusterWithDatabases
        $schedule = 'P' + [Guid]::NewGuid().ToString('N').Substring(0, 6).ToUpperInvariant()
        $config = New-TestConfig -Yaml ((Get-Content -Raw $setup.ConfigPath) -replace 'scheduleId: PSANDBOX', "scheduleId: $schedule")
        function Set-Shifts($Shifts) {
            Invoke-RestMethod -Method Put -Uri "$((Get-SandboxInfo).baseUrl)sandbox/pagerduty/schedules/$schedule" -ContentType 'application/json' -Body (ConvertTo-Json -InputObject @($Shifts)) | Out-Null
        }
        $now = [DateTimeOffset]::UtcNow
        Set-Shifts @()
        $nobody = Test-SkPreflight staging 1.2.3 -Item OnCall -ConfigPath $config -ErrorAction SilentlyContinue
        Set-Shifts @(@{ user = 'Sam Ortiz'; start = $now.AddHours(-2).ToString('o'); end = $now.AddMinutes(10).ToString('o') })
        $gap = Test-SkPreflight staging 1.2.3 -Item OnCall -ConfigPath $config -ErrorAction SilentlyContinue
        Set-Shifts @(@{ user = 'Sam Ortiz'; start = $now.AddHours(-2).ToString('o'); end = $now.AddMinutes(10).ToString('o') }, @{ user = 'Lee Park'; start = $now.AddMinutes(10).ToString('o'); end = $null })
        $handover = Test-SkPreflight staging 1.2.3 -Item OnCall -ConfigPath $config
        $saved = $env:SKDEPLOY_SANDBOX_PAGERDUTY_TOKEN
        try {
            $env:SKDEPLOY_SANDBOX_PAGERDUTY_TOKEN = 'wrong'
            $refused = Test-SkPreflight staging 1.2.3 -Item OnCall -ConfigPath $config -ErrorAction SilentlyContinue
        }
        finally { $env:SKDEPLOY_SANDBOX_PAGERDUTY_TOKEN = $saved }

        $nobody.Detail | Should -Match "^Nobody is on call now for schedule $schedule"
        $gap.Detail | Should -Match '^Sam Ortiz is on call for schedule \w+ only until'
        $handover.Status | Should -Be 'Passed'
        $refused.Detail | Should -Match 'answered HTTP 401'
        $refused.Detail.Contains($saved) | Should -BeFalse
    }

    It 'fails production on migrations not tested on staging, naming each, and passes once staging has run them' {
        $setup = New-TestClusterWithDatabases
        Invoke-SkMigration staging -To 20261110100000_add_job_search_index -ConfigPath $setup.ConfigPath -WarningAction SilentlyContinue | Out-Null
        $failure = $null
        $before = Test-SkPreflight production 1.2.3 -Item MigrationsTested -ConfigPath $setup.ConfigPath -ErrorVariable failure -ErrorAction SilentlyContinue
        Invoke-SkMigration staging -ConfigPath $setup.ConfigPath -WarningAction SilentlyContinue | Out-Null
        $after = Test-SkPreflight production 1.2.3 -Item MigrationsTested -ConfigPath $setup.ConfigPath

        $before.Status | Should -Be 'Failed'
        $before.Detail | Should -Match '2 of the 5 migration\(s\) pending in production were not tested on staging: 20261120150000_add_payment_status \(Pending on staging\); 20261125110000_require_job_budget \(Pending on staging\)'
        $failure[0].FullyQualifiedErrorId | Should -Be 'PreflightFailed,Skillancer.Deploy.Preflight.TestSkPreflightCommand'
        "$($failure[0])" | Should -Match 'MigrationsTested: 2 of the 5'
        $after.Status | Should -Be 'Passed'
        $after.Evidence | Should -Match '20261101090000_init'
    }

    It 'fails a migration applied on staging and then edited: the checksums differ' {
        $setup = New-TestClusterWithDatabases
        Invoke-SkMigration staging -ConfigPath $setup.ConfigPath -WarningAction SilentlyContinue | Out-Null
        Add-Content -Path (Join-Path $setup.Prisma 'migrations' '20261125110000_require_job_budget' 'migration.sql') -Value '-- edited after staging'
        $result = Test-SkPreflight production 1.2.3 -Item MigrationsTested -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue

        $result.Status | Should -Be 'Failed'
        $result.Detail | Should -Match '20261125110000_require_job_budget \(applied on staging with other contents \(checksum [0-9a-f]{8} there, [0-9a-f]{8} here\)\)'
        $result.Evidence | Should -Be '20261125110000_require_job_budget'
    }

    It 'names each flag that differs from featureFlags.expected with the command that fixes it' {
        $setup = New-TestClusterWithDatabases
        Set-SkFeatureFlag staging new_dashboard -Enabled -ConfigPath $setup.ConfigPath | Out-Null
        $result = Test-SkPreflight staging 1.2.3 -Item FeatureFlags -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue

        $result.Status | Should -Be 'Failed'
        $result.Detail | Should -Match ([regex]::Escape('new_dashboard is on, expected off: Set-SkFeatureFlag staging new_dashboard -Enabled:$false'))

        # A flags file instead of featureFlags.expected.
        $file = Join-Path $TestDrive 'flags.yml'
        Set-Content -Path $file -Value "new_dashboard: { enabled: true }`nproposal_drafts: { rolloutPercentage: 75 }"
        $fromFile = Test-SkPreflight staging 1.2.3 -Item FeatureFlags -FlagsFile $file -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue
        $fromFile.Detail | Should -Match '^1 flag setting\(s\) differ: proposal_drafts reaches 50% of users, expected 75%: Set-SkFeatureFlag staging proposal_drafts -RolloutPercentage 75'
        Get-FullyQualifiedErrorId { Test-SkPreflight staging 1.2.3 -FlagsFile (Join-Path $TestDrive 'none.yml') -ConfigPath $setup.ConfigPath } | Should -BeLike 'ConfigNotFound,*'
    }

    It 'fails the rollback plan for a pending migration without a script, and the starting point for a canary half-way' {
        $setup = New-TestClusterWithDatabases
        Remove-Item (Join-Path $setup.Prisma 'rollback' '20261105120000_add_proposals.sql')
        Start-SkCanary staging web 1.2.4 -Weight 10 -ConfigPath $setup.ConfigPath | Out-Null
        $results = Test-SkPreflight staging 1.2.3 -Item RollbackPlan, StartingPoint -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue

        (Find-Result $results RollbackPlan).Detail | Should -Match 'migration 20261105120000_add_proposals has no rollback script'
        (Find-Result $results RollbackPlan).Detail | Should -Not -Match '20261101090000_init'   # its IRREVERSIBLE.md says why
        (Find-Result $results StartingPoint).Detail | Should -Match 'the canary of web is half-way \(v1\.2\.4 at 10%'
        $results.Status | Should -Be @('Failed', 'Failed')
    }

    It 'names the permissions the cluster refuses, with the Role rule that grants each' {
        $setup = New-TestClusterWithDatabases
        $result = Test-SkPreflight staging 1.2.3 -Item ClusterAccess -Kubeconfig (Get-SandboxInfo).kubeconfigs.viewer -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue

        $result.Status | Should -Be 'Failed'
        $result.Detail | Should -Match "'patch deployments\.apps'"
        $result.Detail | Should -Match ([regex]::Escape('{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"] }'))
    }

    It 'fails production outside its window, and checks it as an emergency with -Emergency -Reason' {
        $setup = New-TestClusterWithDatabases
        $inWindow = Test-SkDeploymentWindow production -Quiet -ConfigPath $setup.ConfigPath
        $result = Test-SkPreflight production 1.2.3 -Item DeploymentWindow -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue
        $emergency = Test-SkPreflight production 1.2.3 -Item DeploymentWindow -Emergency -Reason 'INC-7' -ConfigPath $setup.ConfigPath

        $result.Status | Should -Be $(if ($inWindow) { 'Passed' } else { 'Failed' })
        $emergency.Status | Should -Be 'Warning'
        $emergency.Detail | Should -Match 'Emergency deployment: INC-7'
    }

    It 'requires a notice, a required alert and its configuration, saying what is missing' {
        $setup = New-TestClusterWithDatabases
        $yaml = (Get-Content -Raw $setup.ConfigPath) -replace 'requiredAlerts: \[HighErrorRate, ApiGatewayDown\]', 'requiredAlerts: [HighErrorRate, CheckoutDown]' -replace '(?m)^\s+expected:\s*#.*\n(\s+\w+: \{[^}]*\}\n)+', ''
        $config = New-TestConfig -Yaml $yaml
        $warnings = $null
        $results = Test-SkPreflight staging 1.2.3 -Item StakeholdersNotified, Alerts, FeatureFlags -ConfigPath $config -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue

        (Find-Result $results StakeholdersNotified).Detail | Should -Match 'No notice about v1\.2\.3 in staging was sent in the last 24h'
        (Find-Result $results Alerts).Detail | Should -Match 'no alerting rule named CheckoutDown'
        (Find-Result $results FeatureFlags).Status | Should -Be 'NotConfigured'
        "$warnings" | Should -Match 'FeatureFlags was not checked: featureFlags.expected of staging lists no flag'
    }

    It 'finds a typo''d tag in the registry before anything changes, anonymously and through the token flow, and never shows the password' {
        $setup = New-TestClusterWithDatabases
        $staging = Test-SkPreflight staging 1.2.33 -Item Images -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue
        $production = Test-SkPreflight production 1.2.3 -Item Images -ConfigPath $setup.ConfigPath -Verbose -Debug *>&1 | Out-String
        $saved = $env:SKDEPLOY_SANDBOX_REGISTRY_PASSWORD
        try {
            $env:SKDEPLOY_SANDBOX_REGISTRY_PASSWORD = 'not-the-password'
            $refused = Test-SkPreflight production 1.2.3 -Item Images -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue -ErrorVariable refusedErrors
        }
        finally { $env:SKDEPLOY_SANDBOX_REGISTRY_PASSWORD = $saved }

        $staging.Status | Should -Be 'Failed'   # staging reads the registry anonymously
        $staging.Detail | Should -Match 'has no skillancer/auth-svc:v1\.2\.33, skillancer/market-svc:v1\.2\.33'
        $production | Should -Match 'Images\s+Passed'   # production reads it as its user, through the token flow
        $production.Contains($saved) | Should -BeFalse
        $refused.Detail | Should -Match 'refused to show skillancer/\S+ \(HTTP 401\) to deployer: check registry.usernameEnv and passwordEnv'
        $refused.Detail.Contains('not-the-password') | Should -BeFalse
        # The user name is no secret: the error still names it (a secret's value would be scrubbed to ***).
        "$refusedErrors" | Should -Match 'to deployer: check registry\.usernameEnv'
        "$refusedErrors" | Should -Not -Match 'not-the-password'
        Get-MutatingRequest $setup.Cluster.Staging -IncludeState | Should -BeNullOrEmpty
    }

    It 'fails CI on a pending check, then passes once it concludes, waiting with -WaitForCi; a failed check is named' {
        $setup = New-TestClusterWithDatabases
        $ci = New-CiRepository $setup.ConfigPath
        Set-CiChecks -Repository $ci.Repository -Ref release/v1.2.3 -CheckRuns @(
            @{ name = 'build'; status = 'completed'; conclusion = 'success' },
            @{ name = 'e2e'; status = 'completed'; conclusion = 'success'; completesAfterReads = 2 }
        ) -Statuses @(@{ context = 'ci/lint'; state = 'success' }) | Out-Null
        $pending = Test-SkPreflight staging 1.2.3 -Item CiPassing -ConfigPath $ci.ConfigPath -ErrorAction SilentlyContinue
        $waited = Test-SkPreflight staging 1.2.3 -Item CiPassing -WaitForCi 1m -ConfigPath $ci.ConfigPath
        $sha = (Set-CiChecks -Repository $ci.Repository -Ref release/v1.2.3 -CheckRuns @(
            @{ name = 'build'; status = 'completed'; conclusion = 'success' },
            @{ name = 'e2e'; status = 'completed'; conclusion = 'failure' }
        ) -Statuses @(@{ context = 'ci/lint'; state = 'error' })).sha
        $failed = Test-SkPreflight staging 1.2.3 -Item CiPassing -WaitForCi 1m -ConfigPath $ci.ConfigPath -ErrorAction SilentlyContinue -ErrorVariable errors

        $pending.Status | Should -Be 'Failed'
        $pending.Detail | Should -Match ([regex]::Escape("On $($ci.Repository)@")) 
        $pending.Detail | Should -Match '1 of 3 CI checks have not concluded \(e2e \(in_progress, http\S+\)\)\. Wait for CI to finish, or let the checklist wait for it: Test-SkPreflight \.\.\. -WaitForCi 10m\.'
        $waited.Status | Should -Be 'Passed'
        $waited.Detail | Should -Match 'All 3 CI checks passed on \S+ \(release/v1\.2\.3\)\.'
        $failed.Status | Should -Be 'Failed'   # at once: a failure is not waited for
        $failed.Detail | Should -Match 'CI failed on \S+ \(release/v1\.2\.3\): e2e \(failure, http\S+\), ci/lint \(error, http\S+\)\. Fix the failure'
        $failed.Evidence | Should -Be $sha
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'PreflightFailed,*'
    }

    It 'reads every page of check runs, counts only ci.requiredChecks, and checks -Commit instead of the release branch' {
        $setup = New-TestClusterWithDatabases
        $ci = New-CiRepository $setup.ConfigPath
        $commit = 'abcdef1234567' + [Guid]::NewGuid().ToString('N').Substring(0, 8)
        $runs = 1..150 | ForEach-Object { @{ name = "check-$_"; status = 'completed'; conclusion = $(if ($_ -eq 150) { 'timed_out' } else { 'success' }) } }
        Set-CiChecks -Repository $ci.Repository -Ref $commit -CheckRuns $runs | Out-Null
        $all = Test-SkPreflight staging 1.2.3 -Item CiPassing -Commit $commit -ConfigPath $ci.ConfigPath -ErrorAction SilentlyContinue
        $required = New-TestConfig -Yaml ((Get-Content -Raw $ci.ConfigPath) -replace "repository: $([regex]::Escape($ci.Repository))", "repository: $($ci.Repository)`n      requiredChecks: [check-1, check-149, deploy-gate]")
        $missing = Test-SkPreflight staging 1.2.3 -Item CiPassing -Commit $commit -ConfigPath $required -ErrorAction SilentlyContinue

        $all.Status | Should -Be 'Failed'
        $all.Detail | Should -Match 'CI failed on \S+: check-150 \(timed_out'   # only on the second page
        $missing.Detail | Should -Match '1 of 3 CI checks have not concluded \(deploy-gate \(not reported\)\)'
        Get-FullyQualifiedErrorId { Test-SkPreflight staging 1.2.3 -Item CiPassing -Commit 'main~1' -ConfigPath $ci.ConfigPath } | Should -BeLike 'InvalidCommit,*'
        (Test-SkPreflight staging 1.2.33 -Item CiPassing -ConfigPath $ci.ConfigPath -ErrorAction SilentlyContinue).Detail | Should -Match 'GitHub has no branch release/v1\.2\.33 in \S+\. Push the release branch'
    }

    It 'waits for GitHub''s rate limit to reset, fails when the reset is past -Timeout, and is NotConfigured without ci' {
        $setup = New-TestClusterWithDatabases
        $base = (Get-SandboxInfo).baseUrl
        try {
            Invoke-RestMethod -Method Put -Uri "${base}sandbox/github/ratelimit" -ContentType 'application/json' -Body '{ "resetAfterSeconds": 2 }' | Out-Null
            $warnings = $null
            $waited = Test-SkPreflight staging 1.2.3 -Item CiPassing -ConfigPath $setup.ConfigPath -WarningVariable warnings -WarningAction SilentlyContinue
            Invoke-RestMethod -Method Put -Uri "${base}sandbox/github/ratelimit" -ContentType 'application/json' -Body '{ "resetAfterSeconds": 600 }' | Out-Null
            $refused = Test-SkPreflight staging 1.2.3 -Item CiPassing -Timeout 5s -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue
        }
        finally {
            Invoke-RestMethod -Method Put -Uri "${base}sandbox/github/ratelimit" -ContentType 'application/json' -Body '{ "resetAfterSeconds": 0 }' | Out-Null
        }
        $unconfigured = New-TestConfig -Yaml ((Get-Content -Raw $setup.ConfigPath) -replace '(?m)^    ci:\s*\n(      .*\n)+', '')

        $waited.Status | Should -Be 'Passed'
        "$warnings" | Should -Match 'GitHub''s rate limit for this token is spent \(5000 requests an hour\): waiting until \d\d:\d\d:\d\d UTC'
        $refused.Status | Should -Be 'Failed'
        $refused.Detail | Should -Match 'spent \(5000 requests an hour\) until \d\d:\d\d:\d\d UTC, after -Timeout \(5s\) runs out\. Run Test-SkPreflight again after that time'
        (Test-SkPreflight staging 1.2.3 -Item CiPassing -ConfigPath $unconfigured 3>$null).Status | Should -Be 'NotConfigured'
    }

    It 'never shows the GitHub or PagerDuty token in any stream, the journal included; a wrong token is named by its variable' {
        $setup = New-TestClusterWithDatabases
        $config = New-TestConfig -Yaml ((Get-Content -Raw $setup.ConfigPath) -replace '(?m)^    preflight:.*\n', '' -replace '(?m)^(?=    kubernetes:)', "    preflight:`n      attest: [RollbackPlan]`n")
        $secrets = @($env:SKDEPLOY_SANDBOX_GITHUB_TOKEN, $env:SKDEPLOY_SANDBOX_PAGERDUTY_TOKEN, $env:SKDEPLOY_SANDBOX_REGISTRY_PASSWORD)
        $everything = Test-SkPreflight production 1.2.3 -Attest RollbackPlan -Reason 'scripts reviewed (pester)' -ConfigPath $config -Verbose -Debug -ErrorAction Continue *>&1 | Out-String
        $saved = $env:SKDEPLOY_SANDBOX_GITHUB_TOKEN
        try {
            $env:SKDEPLOY_SANDBOX_GITHUB_TOKEN = 'not-the-github-token'
            $refused = Test-SkPreflight production 1.2.3 -Item CiPassing -ConfigPath $config -ErrorAction SilentlyContinue -ErrorVariable refusedErrors
        }
        finally { $env:SKDEPLOY_SANDBOX_GITHUB_TOKEN = $saved }
        $journal = Get-SkDeploymentLog production -Kind Preflight -ConfigPath $config | ConvertTo-Json -Depth 6

        $everything | Should -Match 'CiPassing\s+Passed'
        $journal | Should -Match 'scripts reviewed \(pester\)'
        $refused.Detail | Should -Be 'GitHub answered HTTP 401 for skillancer/skillancer. Check that ci.tokenEnv ($SKDEPLOY_SANDBOX_GITHUB_TOKEN) holds a token that can read the repository''s checks and statuses (checks:read, statuses:read).'
        foreach ($secret in $secrets + 'not-the-github-token') {
            "$everything`n$journal`n$($refused.Detail)`n$refusedErrors".Contains($secret) | Should -BeFalse -Because 'no stream and no record shows a token'
        }
    }

    It 'refuses -Attest without -Reason, and the attestation of an item a system answers, before asking anything' {
        $setup = New-TestClusterWithDatabases
        Get-FullyQualifiedErrorId { Test-SkPreflight staging 1.2.3 -Attest OnCall -ConfigPath $setup.ConfigPath } | Should -Be 'PreflightReasonRequired,Skillancer.Deploy.Preflight.TestSkPreflightCommand'
        Get-FullyQualifiedErrorId { Test-SkPreflight staging 1.2.3 -Attest MigrationsTested -Reason 'trust me' -ConfigPath $setup.ConfigPath } | Should -Be 'PreflightNotAttestable,Skillancer.Deploy.Preflight.TestSkPreflightCommand'
        Get-FullyQualifiedErrorId { Test-SkPreflight staging 1.2.x -ConfigPath $setup.ConfigPath } | Should -BeLike 'InvalidVersion,*'
        Get-SkDeploymentLog staging -ConfigPath $setup.ConfigPath | Should -BeNullOrEmpty
        Get-MutatingRequest $setup.Cluster.Staging -IncludeState | Should -BeNullOrEmpty
    }
}
