# Every view in the built module's Format.ps1xml, rendered at 80 columns from objects the cmdlets
# produced against the sandbox, its PostgreSQL and Prometheus (one namespace pair, one database).

BeforeDiscovery {
    # The views come from the built module, so a view added later without a sample object fails below.
    [xml] $format = Get-Content -Raw (Join-Path $env:SKDEPLOY_MODULE_PATH 'Skillancer.Deploy.Format.ps1xml')
    $script:Views = foreach ($view in $format.Configuration.ViewDefinitions.View) {
        $kind = if ($view.TableControl) { 'Table' } elseif ($view.ListControl) { 'List' } elseif ($view.CustomControl) { 'Custom' } else { 'Wide' }
        $labels = switch ($kind) {
            'Table' { @($view.TableControl.TableHeaders.TableColumnHeader | ForEach-Object { $_.Label }) }
            'List' { @($view.ListControl.ListEntries.ListEntry.ListItems.ListItem | ForEach-Object { if ($_.Label) { $_.Label } else { $_.PropertyName } }) }
            default { @() }
        }
        @{ Name = $view.Name; Type = @($view.ViewSelectedBy.TypeName)[0]; Kind = $kind; Labels = $labels }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:savedRendering = $PSStyle.OutputRendering
    $PSStyle.OutputRendering = 'PlainText'

    # The cells a terminal draws for each symbol the views print (EastAsianWidth.txt: W is two cells;
    # U+FE0F, the emoji presentation selector, draws nothing). A symbol not listed here fails the test
    # until it is measured and added; one whose width terminals disagree on (⚠️ ⏭️ ↩️) must not be used.
    $script:TerminalCells = @{
        "✅`u{FE0F}" = 2; "❌`u{FE0F}" = 2; "⛔`u{FE0F}" = 2; "⏳`u{FE0F}" = 2; "❔`u{FE0F}" = 2; "❓`u{FE0F}" = 2; "⏩`u{FE0F}" = 2
        '🔎' = 2; '🛑' = 2; '🔄' = 2; '🚨' = 2; '🔶' = 2; '🚀' = 2
        '…' = 1   # PowerShell's mark for a cut value
    }

    function Get-TerminalCells {
        <# How many cells a terminal draws for a line, or $null when it holds a symbol not in the table. #>
        param([string] $Line, [switch] $Lenient)
        $cells = 0
        $elements = [Globalization.StringInfo]::GetTextElementEnumerator($Line)
        while ($elements.MoveNext()) {
            $element = [string] $elements.Current
            if ($TerminalCells.ContainsKey($element)) { $cells += $TerminalCells[$element] }
            elseif ([int][char] $element[0] -lt 0x300) { $cells += $element.Length }
            elseif ($Lenient) { $cells += 2 }
            else { return $null }
        }
        return $cells
    }

    function Measure-PowerShellCells {
        <# How many cells PowerShell's table layout gives a text: the padding it adds in a 20-cell column tells. #>
        param([string] $Text)
        $line = @(([pscustomobject]@{ Text = $Text } |
            Format-Table @{ Label = 'Text'; Expression = { $_.Text }; Width = 20 }, @{ Label = '<'; Expression = { '<' } } |
            Out-String -Width 80) -split '\r?\n' | Where-Object { $_.EndsWith('<') -and -not $_.StartsWith('Text') })[0]
        return 20 - ($line.Length - $Text.Length - 2)
    }

    # What must appear whole in each view's rendering: the names and states an ops engineer scans for.
    $script:Important = @{
        EnvironmentConfig     = { $_.Name }
        EnvironmentConfigList = { $_.Name; $_.Services.Name }
        ServiceConfig         = { $_.Name; $_.DisplayName; "$($_.Tier)" }
        WindowDecision        = { if (-not $_.Emergency) { $_.Summary } }
        HealthResult          = { $_.DisplayName; "$($_.StatusCode)" }
        ErrorRateSample       = { $_.Service; "$($_.Level)" }
        ErrorRateSummary      = { "$($_.Verdict)"; $_.RolledBack }
        SmokeResult           = { $_.Name; "$($_.Kind)" }
        FeatureFlag           = { $_.Name; $_.Environment }
        Notice                = { $_.Text -split '\n' | Where-Object { $_ } }
        NotificationResult    = { $_.Title -replace '^\S+\s+'; $_.Destination }
        InvalidationResult    = { $_.Id; $_.Status; $_.Environment; $_.Paths }
        VercelDeployment      = { $_.Environment; "$($_.Url)" }
        ReleaseResult         = { $_.Version; $_.Branch; $_.PreviousVersion }
        ReleaseBranch         = { $_.Version; $_.Branch }
        ChangelogSection      = { $_.Version }
        MigrationStatus       = { $_.Name; "$($_.State)" }
        MigrationSummary      = { $_.Database }
        AppliedMigration      = { $_.Name }
        SafetyFinding         = { $_.Rule; "$($_.Severity)"; Split-Path (Split-Path $_.File) -Leaf }
        DatabaseTable         = { $_.Name; $_.Indexes.Name }
        DeploymentState       = { $_.Environment; $_.Service; $_.Version; "$($_.Status)" }
        RolloutResult         = { $_.Service; $_.FromVersion; $_.Version; "$($_.Status)" }
        RollbackResult        = { $_.Service; $_.FromVersion; $_.ToVersion; "$($_.Status)" }
        RevisionEntry         = { $_.Service; $_.Version }
        CanaryStatus          = { $_.Service; $_.StableVersion; $_.CanaryVersion; $_.VirtualService }
        StarterConfiguration  = { $_.File; $_.Environment }
        DeploymentRecord      = { $_.Id; "$($_.Kind)"; $_.Version; "$($_.Status)"; $_.Who.UserName }
        UnlockResult          = { $_.Environment }
        DeploymentApproval    = { $_.Id; $_.Version; $_.Status; $_.Approver.UserName }
        PreflightResult       = { "$($_.Item)"; "$($_.Status)" }
        DeploymentRun         = { $_.Environment; $_.Version; $_.Steps.Name; "$($_.Steps.Status)" -split ' ' }
        CanaryRun             = { $_.Service; $_.Version; "$($_.Outcome)"; $_.Samples | ForEach-Object { "$($_.Verdict)" } }
        CanarySample          = { "$($_.Verdict)" }
        MetricComparison      = { $_.Service; "$($_.Metric)"; "$($_.Verdict)" }
    }

    # One run of the runbook against one namespace pair and one database; every object it writes is a sample.
    $output = [Collections.Generic.List[object]]::new()
    function Add-Sample { process { $output.Add($_) } }
    $cluster = New-TestCluster
    $config = $cluster.ConfigPath

    $environments = Get-SkEnvironment -ConfigPath $config
    New-SkConfiguration -Path (Join-Path $TestDrive 'starter') | Add-Sample
    New-SkConfiguration staging -Path (Join-Path $TestDrive 'starter' 'from-cluster.yml') -FromCluster -Kubeconfig (Get-SandboxInfo).kubeconfig -Namespace @{ staging = $cluster.Staging } 3>$null | Add-Sample
    $environments | Add-Sample
    $environments.Services | Add-Sample
    foreach ($at in '2026-12-01T15:00:00Z', '2026-12-04T15:00:00Z', '2026-11-26T14:30:00Z', '2026-12-01T09:00:00Z') {
        Test-SkDeploymentWindow -Environment production -At ([DateTimeOffset] $at) -ConfigPath $config | Add-Sample
    }
    Test-SkDeploymentWindow -Environment staging -ConfigPath $config | Add-Sample
    Test-SkDeploymentWindow -Environment production -At ([DateTimeOffset] '2026-12-04T15:00:00Z') -Emergency -Reason 'INC-2231: EU card payments fail' -ConfigPath $config 3>$null | Add-Sample

    $git = New-GitWorkspace -Version '1.2.2'
    git -C $git.Clone commit --quiet --allow-empty -m 'feat(jobs): search by skill'
    git -C $git.Clone commit --quiet --allow-empty -m 'fix: login loop'
    git -C $git.Clone push --quiet origin master 2>$null
    $release = New-SkRelease -Version 1.2.3 -Path $git.Clone
    $release | Add-Sample
    Get-SkRelease -Path $git.Clone | Add-Sample
    $release | Update-SkChangelog -Date '2026-12-01' | Add-Sample
    $release | Start-SkRollout -Environment staging -ConfigPath $config | Add-Sample
    Get-SkDeployment -Environment staging -ConfigPath $config | Add-Sample
    Get-SkDeploymentHistory -Environment staging -Service api-gateway -ConfigPath $config | Add-Sample

    # A faulty release: unhealthy, its error rate climbs through every level, and the watch rolls it back.
    Wait-ErrorRateData -Namespace $cluster.Staging
    $faulty = Start-SkRollout -Environment staging -Version 1.2.4-faulty -Service market-svc -ConfigPath $config | Wait-SkRollout -ConfigPath $config
    $faulty | Add-Sample
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    do { $health = Test-SkHealth -Environment staging -ConfigPath $config -ErrorAction SilentlyContinue 3>$null }
    until (($health | Where-Object { -not $_.Healthy }) -or [DateTime]::UtcNow -gt $deadline)
    $health | Add-Sample
    $faulty | Watch-SkErrorRate -Duration 60s -Interval 1s -AutoRollback -ConfigPath $config -ErrorAction SilentlyContinue 3>$null | Add-Sample
    # The post-deployment review of the last 10 s (the faulty release and its rollback): every metric, NoData among them.
    Compare-SkDeploymentMetric -Environment staging -Service market-svc, skillpod-svc -Since ([DateTimeOffset]::UtcNow.AddSeconds(-10)) -Baseline 10s -ConfigPath $config -ErrorAction SilentlyContinue | Add-Sample

    # A progressive canary that the latency comparison aborts: every analysis, with the longest reasons.
    Invoke-RestMethod -Method Put -Uri "$((Get-SandboxInfo).baseUrl)sandbox/traffic/$($cluster.Staging)" -Body '{"requestsPerPodPerSecond":100}' -ContentType 'application/json' | Out-Null
    try { Invoke-SkCanary -Environment staging -Service web -Version 1.2.5-slow -Steps 25, 100 -StepDuration 5s -Interval 5s -ConfigPath $config -ErrorAction Stop 3>$null | Add-Sample }
    catch { if ($_.FullyQualifiedErrorId -notlike 'CanaryAborted,*') { throw } }
    @($output | Where-Object { $_.PSObject.TypeNames[0] -eq 'Skillancer.Deploy.Engine.Orchestration.Canary.CanaryRun' }) | ForEach-Object { $_.Samples } | Add-Sample
    Start-SkCanary -Environment staging -Service web -Version 1.2.5 -Weight 5 -ConfigPath $config | Add-Sample
    Invoke-SkSmokeTest -Environment staging -ConfigPath $config -ErrorAction SilentlyContinue 3>$null | Add-Sample
    Set-SkFeatureFlag -Environment staging -Name new_dashboard -RolloutPercentage 25 -ConfigPath $config | Out-Null
    Get-SkFeatureFlag -Environment staging -ConfigPath $config | Add-Sample
    $notice = New-SkDeploymentNotice Started -Version v1.2.3 -Environment staging -ConfigPath $config
    $notice | Add-Sample
    $notice | Send-SkNotification -Environment staging -ConfigPath $config | Add-Sample
    Clear-SkCdnCache -Environment staging -Path '/static/*', '/assets/*' -Version "v1.$([Guid]::NewGuid().ToString('N').Substring(0, 6))" -ConfigPath $config | Add-Sample
    $script:savedVercel = $env:VERCEL_TOKEN, $env:VERCEL_STANDIN_RECORD
    $env:VERCEL_TOKEN = 'vca_views_token_3f1c'
    $env:VERCEL_STANDIN_RECORD = Join-Path $TestDrive 'vercel-record.json'
    # A Preflight record (the longest kind): an item preflight.attest leaves to a person, attested.
    $attesting = New-TestConfig -Yaml ((Get-Content -Raw $config) -replace '(?m)^defaults:\s*$', "defaults:`n  preflight:`n    attest: [DeploymentWindow]")
    Test-SkPreflight -Environment staging -Version 1.2.3 -Item DeploymentWindow -Attest DeploymentWindow -Reason 'views' -ConfigPath $attesting | Out-Null
    Get-SkDeploymentLog -Environment staging -ConfigPath $config | Add-Sample
    Invoke-SkDeployment -Environment production -Version 1.2.4 -WhatIf -ConfigPath $config 3>$null | Add-Sample
    Unlock-SkEnvironment -Environment staging -Force -ConfigPath $config | Add-Sample
    Approve-SkDeployment -Environment production -Version 1.2.3 -Kubeconfig (Get-SandboxInfo).kubeconfigs.approver -ConfigPath $config | Add-Sample
    Test-SkPreflight -Environment staging -Version 1.2.3 -Item StakeholdersNotified, DeploymentWindow, ClusterAccess -ConfigPath $config -ErrorAction SilentlyContinue | Add-Sample
    Publish-SkFrontend -Environment staging -Target Vercel -Path $TestDrive -VercelPath (Join-Path $PSScriptRoot '..' 'fixtures' 'vercel-standin' 'vercel') -ConfigPath $config | Add-Sample

    # Migrations in every state, in a database of their own.
    $database = New-TestDatabase
    $prisma = Join-Path $TestDrive 'prisma'
    Copy-Item -Recurse (Join-Path $PSScriptRoot '..' '..' 'examples' 'prisma') $prisma
    $script:databaseVariable = 'SKDEPLOY_PESTER_VIEWS_' + [Guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
    [Environment]::SetEnvironmentVariable($databaseVariable, $database.Url)
    $migrations = Join-Path $prisma 'migrations'
    $databaseConfig = New-TestConfig -Yaml @"
environments:
  test:
    requireApproval: false
    enforceSchedule: false
    database:
      connectionStringEnv: $databaseVariable
      migrations: '$migrations'
      rollbackScripts: '$(Join-Path $prisma 'rollback')'
      largeTables: [Job]
    services: []
"@
    function New-Migration([string] $Name, [string] $Sql) {
        New-Item -ItemType Directory -Path (Join-Path $migrations $Name) | Out-Null
        Set-Content -LiteralPath (Join-Path $migrations $Name 'migration.sql') -Value $Sql
    }
    Get-SkMigrationStatus -Environment test -ConfigPath $databaseConfig | Add-Sample
    Invoke-SkMigration -Environment test -ConfigPath $databaseConfig -Force 3>$null | Add-Sample
    New-Migration 20261130000000_broken 'SELECT no_such_column FROM "Job";'
    try { Invoke-SkMigration -Environment test -ConfigPath $databaseConfig -Force -ErrorAction Stop 3>$null | Add-Sample }
    catch { if ($_.FullyQualifiedErrorId -notlike 'MigrationFailed,*') { throw } }
    Undo-SkMigration -Name 20261120150000_add_payment_status -Environment test -ConfigPath $databaseConfig -Force | Add-Sample
    Add-Content -LiteralPath (Join-Path $migrations '20261101090000_init' 'migration.sql') -Value '-- edited after it was applied'
    Remove-Item -Recurse -LiteralPath (Join-Path $migrations '20261105120000_add_proposals')
    New-Migration 20261201000000_drop_job_description 'ALTER TABLE "Job" DROP COLUMN "description";'
    Get-SkMigrationStatus -Environment test -ConfigPath $databaseConfig | Add-Sample
    Get-SkMigrationStatus -Environment test -ConfigPath $databaseConfig -Summary | Add-Sample
    Test-SkMigrationSafety -Environment test -ConfigPath $databaseConfig -ErrorAction SilentlyContinue | Add-Sample
    Get-SkDatabaseSchema -Environment test -ConfigPath $databaseConfig -Table Job | Add-Sample

    $script:Samples = $output | Group-Object { $_.PSObject.TypeNames[0] } -AsHashTable -AsString
}

AfterAll {
    $PSStyle.OutputRendering = $savedRendering
    $env:VERCEL_TOKEN, $env:VERCEL_STANDIN_RECORD = $savedVercel
    [Environment]::SetEnvironmentVariable($databaseVariable, $null)
}

Describe 'Default views at 80 columns' {
    It 'samples hold the longest values the issue found cut or wrapped' {
        $Samples['Skillancer.Deploy.Engine.Verification.ErrorRate.ErrorRateSample'].Level | Should -Contain 'ImmediateRollback'
        $Samples['Skillancer.Deploy.Engine.Migrations.MigrationStatus'].State | ForEach-Object { "$_" } | Sort-Object -Unique |
            Should -Be @('Applied', 'Failed', 'MissingLocally', 'Modified', 'Pending', 'RolledBack')
        $Samples['Skillancer.Deploy.Engine.Migrations.Safety.SafetyFinding'].Severity | ForEach-Object { "$_" } | Sort-Object -Unique | Should -Be @('Error', 'Warning')
        $Samples['Skillancer.Deploy.Engine.Verification.HealthResult'].Healthy | Should -Contain $false
        $Samples['Skillancer.Deploy.Engine.Schedule.WindowDecision'].Emergency | Should -Contain $true
        $Samples['Skillancer.Deploy.Engine.Kubernetes.Rollout.DeploymentState'].ChangeCause | Should -Not -BeNullOrEmpty
    }

    It 'gives every type a cmdlet writes a view' {
        $viewed = @($Views | ForEach-Object { $_.Type })
        $written = Get-Command -Module Skillancer.Deploy | ForEach-Object OutputType | ForEach-Object Name |
            Where-Object { $_ -notin 'System.Boolean', 'System.String', 'System.IO.FileInfo' } | Sort-Object -Unique
        $written | Should -Not -BeNullOrEmpty
        foreach ($type in $written) { $viewed | Should -Contain $type -Because "$type is written by a cmdlet" }
    }

    It 'measures each symbol the views print as wide as a terminal draws it (<_>)' -ForEach @(
        "✅`u{FE0F}", "❌`u{FE0F}", "⛔`u{FE0F}", "⏳`u{FE0F}", "❔`u{FE0F}", "❓`u{FE0F}", "⏩`u{FE0F}", '🔎', '🛑', '🔄', '🚨', '🔶', '🚀') {
        Measure-PowerShellCells $_ | Should -Be $TerminalCells[$_]
    }

    It '<Name> (<Kind>) fits 80 columns, keeps its headers whole and cuts nothing important' -ForEach $Views {
        $objects = $Samples[$Type]
        $objects | Should -Not -BeNullOrEmpty -Because "view $Name needs real $Type objects to render"
        $Important.ContainsKey($Name) | Should -BeTrue -Because "the test must know what view $Name may not cut"
        $text = switch ($Kind) {
            'Table' { $objects | Format-Table -View $Name | Out-String -Width 80 }
            'List' { $objects | Format-List -View $Name | Out-String -Width 80 }
            'Custom' { $objects | Format-Custom -View $Name | Out-String -Width 80 }
            'Wide' { $objects | Format-Wide -View $Name | Out-String -Width 80 }
        }
        $lines = $text -split '\r?\n'

        foreach ($line in $lines) {
            $cells = Get-TerminalCells $line -Lenient:($Kind -eq 'Custom')
            $cells | Should -Not -BeNullOrEmpty -Because "every symbol in '$line' must be one whose width PowerShell and terminals agree on"
            $cells | Should -BeLessOrEqual 80 -Because "'$line' must fit 80 columns"
        }

        if ($Kind -eq 'Table') {
            $headers = 0
            for ($i = 1; $i -lt $lines.Count; $i++) {
                if ($lines[$i] -notmatch '^[ -]*-[ -]*$') { continue }
                $headers++
                $runs = [regex]::Matches($lines[$i], '-+')
                $runs.Count | Should -Be $Labels.Count -Because "every column of $Name is shown: '$($lines[$i - 1])'"
                for ($k = 0; $k -lt $Labels.Count; $k++) {
                    $runs[$k].Length | Should -Be $Labels[$k].Length -Because "column '$($Labels[$k])' is no narrower than its header"
                    $lines[$i - 1].PadRight($runs[$k].Index + $Labels[$k].Length).Substring($runs[$k].Index).StartsWith($Labels[$k]) | Should -BeTrue -Because "header '$($Labels[$k])' is whole on one line: '$($lines[$i - 1])'"
                }
            }
            $headers | Should -BeGreaterThan 0 -Because 'a table has a header'
        }
        if ($Kind -eq 'List') {
            foreach ($label in $Labels) {
                ($lines -match "^$([regex]::Escape($label)) *: ") | Should -Not -BeNullOrEmpty -Because "label '$label' is whole"
            }
        }

        foreach ($object in $objects) {
            foreach ($value in @($object | ForEach-Object $Important[$Name]) | Where-Object { "$_" }) {
                $text | Should -Match "(?<![\w-])$([regex]::Escape("$value"))(?![\w-])" -Because "'$value' must appear whole in view $Name"
            }
        }
    }
}
