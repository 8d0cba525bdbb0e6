# Test-SkPreflight (issue 14): the runbook's pre-deployment checklist, each item asked of its system of record in the
# sandbox: real PostgreSQL databases for staging and production, the flag API, a real Prometheus and its rules, the
# cluster (revisions, RBAC, the lock, canaries) and the journal.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule

    function New-PreflightSetup {
        <#
        A test cluster whose staging and production have databases of their own (empty) and a copy of examples/prisma
        as their migrations, so that each test decides what is applied where.
        #>
        $cluster = New-TestCluster
        $prisma = Join-Path $TestDrive ([Guid]::NewGuid().ToString('N').Substring(0, 8))
        Copy-Item -Recurse (Join-Path $PSScriptRoot '..' '..' 'examples' 'prisma') $prisma
        $yaml = Get-Content -Raw $cluster.ConfigPath
        $databases = @{}
        foreach ($environment in 'STAGING', 'PRODUCTION') {
            $database = New-TestDatabase
            $variable = "SKDEPLOY_PESTER_PREFLIGHT_$environment`_" + [Guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
            [Environment]::SetEnvironmentVariable($variable, $database.Url)
            $yaml = $yaml -replace "connectionStringEnv: SKDEPLOY_SANDBOX_$environment`_DATABASE_URL", "connectionStringEnv: $variable"
            $databases[$environment.ToLowerInvariant()] = $database
        }
        $yaml = $yaml -replace "migrations: '[^']*'", "migrations: '$(Join-Path $prisma 'migrations')'" -replace "rollbackScripts: '[^']*'", "rollbackScripts: '$(Join-Path $prisma 'rollback')'"
        [pscustomobject]@{ Cluster = $cluster; ConfigPath = (New-TestConfig -Yaml $yaml); Prisma = $prisma; Databases = $databases }
    }

    function Find-Result([object[]] $Results, [string] $Name) { $Results | Where-Object Item -EQ $Name }
}

Describe 'Test-SkPreflight' {
    It 'passes staging: every item answered by its system, the on-call from PagerDuty, the notice sent with -Notify' {
        $setup = New-PreflightSetup
        Invoke-SkMigration staging -ConfigPath $setup.ConfigPath -WarningAction SilentlyContinue | Out-Null
        $results = Test-SkPreflight staging 1.2.3 -Notify -ConfigPath $setup.ConfigPath 3>$null

        $results | ForEach-Object Item | Should -Be @('MigrationsTested', 'FeatureFlags', 'Alerts', 'RollbackPlan', 'StakeholdersNotified', 'DeploymentWindow', 'OnCall', 'Images', 'ClusterAccess', 'StartingPoint')
        $results | Where-Object Status -EQ 'Failed' | ForEach-Object { "$_" } | Should -BeNullOrEmpty
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
        $setup = New-PreflightSetup
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

    It 'fails the on-call item when nobody is on call, when the shift ends before the monitoring does, and for a wrong token' {
        $setup = New-PreflightSetup
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
        $setup = New-PreflightSetup
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
        $setup = New-PreflightSetup
        Invoke-SkMigration staging -ConfigPath $setup.ConfigPath -WarningAction SilentlyContinue | Out-Null
        Add-Content -Path (Join-Path $setup.Prisma 'migrations' '20261125110000_require_job_budget' 'migration.sql') -Value '-- edited after staging'
        $result = Test-SkPreflight production 1.2.3 -Item MigrationsTested -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue

        $result.Status | Should -Be 'Failed'
        $result.Detail | Should -Match '20261125110000_require_job_budget \(applied on staging with other contents \(checksum [0-9a-f]{8} there, [0-9a-f]{8} here\)\)'
        $result.Evidence | Should -Be '20261125110000_require_job_budget'
    }

    It 'names each flag that differs from featureFlags.expected with the command that fixes it' {
        $setup = New-PreflightSetup
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
        $setup = New-PreflightSetup
        Remove-Item (Join-Path $setup.Prisma 'rollback' '20261105120000_add_proposals.sql')
        Start-SkCanary staging web 1.2.4 -Weight 10 -ConfigPath $setup.ConfigPath | Out-Null
        $results = Test-SkPreflight staging 1.2.3 -Item RollbackPlan, StartingPoint -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue

        (Find-Result $results RollbackPlan).Detail | Should -Match 'migration 20261105120000_add_proposals has no rollback script'
        (Find-Result $results RollbackPlan).Detail | Should -Not -Match '20261101090000_init'   # its IRREVERSIBLE.md says why
        (Find-Result $results StartingPoint).Detail | Should -Match 'the canary of web is half-way \(v1\.2\.4 at 10%'
        $results.Status | Should -Be @('Failed', 'Failed')
    }

    It 'names the permissions the cluster refuses, with the Role rule that grants each' {
        $setup = New-PreflightSetup
        $result = Test-SkPreflight staging 1.2.3 -Item ClusterAccess -Kubeconfig (Get-SandboxInfo).kubeconfigs.viewer -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue

        $result.Status | Should -Be 'Failed'
        $result.Detail | Should -Match "'patch deployments\.apps'"
        $result.Detail | Should -Match ([regex]::Escape('{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"] }'))
    }

    It 'fails production outside its window, and checks it as an emergency with -Emergency -Reason' {
        $setup = New-PreflightSetup
        $inWindow = Test-SkDeploymentWindow production -Quiet -ConfigPath $setup.ConfigPath
        $result = Test-SkPreflight production 1.2.3 -Item DeploymentWindow -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue
        $emergency = Test-SkPreflight production 1.2.3 -Item DeploymentWindow -Emergency -Reason 'INC-7' -ConfigPath $setup.ConfigPath

        $result.Status | Should -Be $(if ($inWindow) { 'Passed' } else { 'Failed' })
        $emergency.Status | Should -Be 'Warning'
        $emergency.Detail | Should -Match 'Emergency deployment: INC-7'
    }

    It 'requires a notice, a required alert and its configuration, saying what is missing' {
        $setup = New-PreflightSetup
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
        $setup = New-PreflightSetup
        $staging = Test-SkPreflight staging 1.2.33 -Item Images -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue
        $production = Test-SkPreflight production 1.2.3 -Item Images -ConfigPath $setup.ConfigPath -Verbose -Debug *>&1 | Out-String
        $saved = $env:SKDEPLOY_SANDBOX_REGISTRY_PASSWORD
        try {
            $env:SKDEPLOY_SANDBOX_REGISTRY_PASSWORD = 'not-the-password'
            $refused = Test-SkPreflight production 1.2.3 -Item Images -ConfigPath $setup.ConfigPath -ErrorAction SilentlyContinue
        }
        finally { $env:SKDEPLOY_SANDBOX_REGISTRY_PASSWORD = $saved }

        $staging.Status | Should -Be 'Failed'   # staging reads the registry anonymously
        $staging.Detail | Should -Match 'has no skillancer/auth-svc:v1\.2\.33, skillancer/market-svc:v1\.2\.33'
        $production | Should -Match 'Images\s+Passed'   # production reads it as its user, through the token flow
        $production.Contains($saved) | Should -BeFalse
        $refused.Detail | Should -Match 'refused to show skillancer/\S+ \(HTTP 401\) to deployer: check registry.usernameEnv and passwordEnv'
        $refused.Detail.Contains('not-the-password') | Should -BeFalse
        Get-MutatingRequest $setup.Cluster.Staging -IncludeState | Should -BeNullOrEmpty
    }

    It 'refuses -Attest without -Reason, and the attestation of an item a system answers, before asking anything' {
        $setup = New-PreflightSetup
        Get-FullyQualifiedErrorId { Test-SkPreflight staging 1.2.3 -Attest OnCall -ConfigPath $setup.ConfigPath } | Should -Be 'PreflightReasonRequired,Skillancer.Deploy.Preflight.TestSkPreflightCommand'
        Get-FullyQualifiedErrorId { Test-SkPreflight staging 1.2.3 -Attest MigrationsTested -Reason 'trust me' -ConfigPath $setup.ConfigPath } | Should -Be 'PreflightNotAttestable,Skillancer.Deploy.Preflight.TestSkPreflightCommand'
        Get-FullyQualifiedErrorId { Test-SkPreflight staging 1.2.x -ConfigPath $setup.ConfigPath } | Should -BeLike 'InvalidVersion,*'
        Get-SkDeploymentLog staging -ConfigPath $setup.ConfigPath | Should -BeNullOrEmpty
        Get-MutatingRequest $setup.Cluster.Staging -IncludeState | Should -BeNullOrEmpty
    }
}
