<#
.SYNOPSIS
Runs the runbook's staging and production procedures against the local sandbox, then each step by hand.

.DESCRIPTION
Run it with `dotnet pwsh ./build.ps1 -Task Demo`, which builds the module, starts the sandbox,
runs this script with $env:SKDEPLOY_CONFIG pointing at the sandbox, and stops everything after.
To run it by hand, start the sandbox (build.ps1 -Task Sandbox), paste the block of $env: lines it
prints, and run: ./examples/Demo.ps1
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$modulePath = if ($env:SKDEPLOY_MODULE_PATH) { $env:SKDEPLOY_MODULE_PATH } else { Join-Path $PSScriptRoot '..' 'out' 'Skillancer.Deploy' }
Import-Module $modulePath -Force
if (-not $env:SKDEPLOY_CONFIG) { throw 'Set $env:SKDEPLOY_CONFIG to the sandbox configuration first (build.ps1 -Task Sandbox prints the lines to paste).' }
$sandbox = Get-Content -Raw (Join-Path (Split-Path $env:SKDEPLOY_CONFIG) 'sandbox.json') | ConvertFrom-Json
# The block the sandbox prints to paste, as a user would: every variable its skdeploy.yml names
# (databases, tokens, the webhook), then KUBECONFIG and SKDEPLOY_CONFIG.
. (Join-Path (Split-Path $env:SKDEPLOY_CONFIG) 'sandbox.env.ps1')

function Write-Step([string] $Title) {
    Write-Host ''
    Write-Host "=== $Title ===" -ForegroundColor Cyan
}

function Set-SandboxHealth([string] $Environment, [string] $Service, [int] $StatusCode, [int] $Failures) {
    # The sandbox's control API: make a service's health endpoint fail, as a bad release would.
    $body = @{ statusCode = $StatusCode; failures = $Failures } | ConvertTo-Json
    Invoke-RestMethod -Method Put -Uri "$($sandbox.baseUrl)sandbox/health/$Environment/$Service" -Body $body -ContentType 'application/json' | Out-Null
}

function Set-CiChecks([string] $Branch, [hashtable] $E2e) {
    # The sandbox's GitHub: the release commit's check runs (build and test passed, and the e2e suite as given).
    $body = @{ checkRuns = @(@{ name = 'build'; status = 'completed'; conclusion = 'success' }, @{ name = 'test'; status = 'completed'; conclusion = 'success' }, $E2e); statuses = @() } | ConvertTo-Json -Depth 4
    Invoke-RestMethod -Method Put -Uri "$($sandbox.baseUrl)sandbox/github/repos/skillancer/skillancer/checks?ref=$([Uri]::EscapeDataString($Branch))" -Body $body -ContentType 'application/json' | Out-Null
}

Write-Step 'Getting started: New-SkConfiguration writes a starter skdeploy.yml (here beside the sandbox''s)'
$starter = Join-Path (Split-Path $env:SKDEPLOY_CONFIG) 'starter'
Remove-Item -LiteralPath $starter -Recurse -Force -ErrorAction Ignore
Write-Host 'From the runbook: its five services and tiers, its schedule, and the variable of every *Env key.'
New-SkConfiguration -Path $starter -WhatIf
$written = New-SkConfiguration -Path $starter
$written | Format-Table | Out-Host
Write-Host 'Its header lists the variables the *Env keys name (secrets never go in the file):'
Get-Content $written.ConfigPath | Where-Object { $_ -like '#   $env:*' } | ForEach-Object { ($_ -split '  #')[0] } | Out-Host
Write-Host 'It loads as it is (Get-SkEnvironment shows what the module reads), and it is never overwritten without -Force:'
$written | Get-SkEnvironment | Format-Table | Out-Host
try { New-SkConfiguration -Path $starter } catch { Write-Host "  $($_.FullyQualifiedErrorId): $_" -ForegroundColor Yellow }
Write-Host ''
Write-Host 'From the cluster: -FromCluster reads the deployments of the current kubeconfig context (the sandbox''s):'
$proposed = New-SkConfiguration -FromCluster -Path (Join-Path $starter 'skdeploy.cluster.yml')
$proposed | Format-Table | Out-Host
$web = Get-Content $proposed.ConfigPath | Select-String '^\s+- name: web$' -Context 0, 10 | Select-Object -First 1
@($web.Line) + $web.Context.PostContext | ForEach-Object { if ($_.Length -gt 79) { $_.Substring(0, 78) + '…' } else { $_ } } | Out-Host
Write-Host 'Its deployment, container and image names reach the cluster as they are:'
Get-SkDeployment staging -ConfigPath $proposed.ConfigPath | Format-Table | Out-Host
Write-Host 'From here on the demo uses the sandbox''s own skdeploy.yml, which points every endpoint at the sandbox.'

Write-Step 'Pre-deployment: the environments and their services, in the runbook''s deployment order'
Get-SkEnvironment | Format-Table | Out-Host
(Get-SkEnvironment production).Services | Format-Table | Out-Host

Write-Step 'Pre-deployment: is the deployment window open? (Deployment Schedule)'
Test-SkDeploymentWindow -Environment production | Format-List At, Allowed, Reason, NextWindowStart | Out-Host
Write-Host 'Staging does not enforce the schedule; a Tuesday afternoon is inside the production window:'
@(
    Test-SkDeploymentWindow -Environment staging
    Test-SkDeploymentWindow -Environment production -At ([DateTimeOffset]'2026-12-01T15:00:00Z')
    Test-SkDeploymentWindow -Environment production -At ([DateTimeOffset]'2026-12-04T15:00:00Z')
) | Format-Table | Out-Host
Write-Host 'An emergency deployment goes through, with the runbook''s duties as warnings:'
Test-SkDeploymentWindow -Environment production -At ([DateTimeOffset]'2026-12-04T15:00:00Z') -Emergency -Reason 'Payments fail for EU cards (INC-2231)' |
    Format-List Allowed, Emergency, Reason | Out-Host

Write-Step 'Step 1: Create Release (in a throwaway clone of examples/sample-repo, with a bare origin)'
$work = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-demo-$PID"
$origin = Join-Path $work 'origin.git'
$clone = Join-Path $work 'skillancer'
try {
    New-Item -ItemType Directory -Path $work -Force | Out-Null
    git init --quiet --bare -b master $origin
    git clone --quiet $origin $clone 2>$null
    git -C $clone config user.name 'Demo Release Manager'
    git -C $clone config user.email 'release@skillancer.test'
    git -C $clone config commit.gpgsign false
    git -C $clone checkout --quiet -b master
    Copy-Item -Path (Join-Path $PSScriptRoot 'sample-repo' '*') -Destination $clone -Recurse -Force
    Copy-Item -Path (Join-Path $PSScriptRoot 'sample-repo' '.gitignore') -Destination $clone -Force
    git -C $clone add --all
    git -C $clone commit --quiet -m 'chore: import the monorepo'
    git -C $clone branch release/v1.2.2
    foreach ($message in 'feat(jobs): search jobs by skill', 'fix(auth): stop the login redirect loop', 'perf(market): cache listing pages', 'docs: explain the release flow') {
        git -C $clone commit --quiet --allow-empty -m $message
    }
    git -C $clone push --quiet origin master release/v1.2.2 2>$null

    Write-Host 'What New-SkRelease would do (-WhatIf changes nothing):'
    New-SkRelease -Version 1.2.3 -Path $clone -Workspaces -WhatIf
    $release = New-SkRelease -Version 1.2.3 -Path $clone -Workspaces
    $release | Format-List Version, Tag, Branch, PreviousVersion, Commit, Pushed, ChangedFiles | Out-Host
    Write-Host 'The release branches, local and on origin:'
    Get-SkRelease -Path $clone | Format-Table | Out-Host

    Write-Step 'Post-deployment: update CHANGELOG.md from the conventional commits since release/v1.2.2'
    $release | Update-SkChangelog | Format-Table | Out-Host
    Get-Content (Join-Path $clone 'CHANGELOG.md') | Select-Object -Skip 7 | Out-Host
}
finally {
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Write-Step 'Policy: production enforces the schedule'
# -Force confirms production's changes in advance (a demo has nobody to ask); it never replaces the approval.
# Outside a window a change also needs -Emergency -Reason.
$production = @{ Force = $true }
# The checklist checks the window as an emergency too, when the changes are one.
$productionPreflight = @{}
if (Test-SkDeploymentWindow -Environment production -Quiet) {
    Write-Host 'Production is inside a deployment window now, so its changes go ahead.'
}
else {
    Write-Host 'Production is outside its deployment windows now, so a change is refused:'
    try { Set-SkFeatureFlag -Environment production -Name new_dashboard -RolloutPercentage 25 -Force -ErrorAction Stop }
    catch { Write-Host "  $($_.FullyQualifiedErrorId.Split(',')[0]): $($_.Exception.Message)" }
    Write-Host 'The demo goes on as an emergency, which writes the runbook''s emergency duties as warnings:'
    $production.Emergency = $true
    $production.Reason = 'Sandbox demo outside the deployment window'
    $productionPreflight.Emergency = $true
    $productionPreflight.Reason = 'Sandbox demo outside the deployment window'
}

Write-Step 'The staging procedure: Invoke-SkDeployment staging 1.2.3 (the runbook''s ./scripts/deploy.sh staging v1.2.3)'
Write-Host 'One gated run: lock, checklist, notice, migrations, rollout, health, smoke (with the e2e suite), a 10-second watch, CDN, notice:'
Invoke-SkDeployment -Environment staging -Version 1.2.3 -MonitorDuration 10s -WarningAction SilentlyContinue | Out-Host

Write-Step 'The production procedure: promotion from staging, approval by an engineering lead, then the same run'
Write-Host 'The plan first (-WhatIf reads the cluster and the database, and changes nothing):'
Invoke-SkDeployment -Environment production -Version 1.2.3 -MonitorDuration 10s -WhatIf @production -WarningAction SilentlyContinue | Out-Host
Write-Host 'Staging ran 1.2.3, so the promotion holds; the approval does not exist yet, and nothing changes:'
try { Invoke-SkDeployment -Environment production -Version 1.2.3 -MonitorDuration 10s @production -ErrorAction Stop -WarningAction SilentlyContinue }
catch { Write-Host "  $($_.FullyQualifiedErrorId.Split(',')[0]): $($_.Exception.Message)" }
Write-Host "The lead approves with their own kubeconfig ($($sandbox.users.approver.name)):"
Approve-SkDeployment -Environment production -Version 1.2.3 -Comment 'CHG-1042: release 1.2.3' -Kubeconfig $sandbox.kubeconfigs.approver | Format-Table | Out-Host
Write-Host 'Now the production run (the runbook''s ./scripts/deploy.sh production v1.2.3 --require-approval):'
Invoke-SkDeployment -Environment production -Version 1.2.3 -MonitorDuration 10s @production -WarningAction SilentlyContinue | Out-Host

if ($sandbox.prometheus) {
    Write-Step 'Automatic rollback: a faulty 1.2.4 that passes its health checks but fails 15% of requests'
    Write-Host 'Only the watch sees it, and the run rolls every service back to 1.2.3 by itself (no release branch on GitHub for'
    Write-Host 'such a build, so staging goes on past CI). The report is what a CI runner keeps (-ReportPath):'
    $reports = Join-Path (Split-Path $env:SKDEPLOY_CONFIG) 'reports'
    try { Invoke-SkDeployment -Environment staging -Version 1.2.4-erroring -MonitorDuration 10s -AcceptPreflightWarnings -ReportPath $reports -ErrorAction Stop -WarningAction SilentlyContinue | Out-Host }
    catch { Write-Host "  $($_.FullyQualifiedErrorId.Split(',')[0]): $($_.Exception.Message)" }
    $report = Get-ChildItem -LiteralPath $reports -Filter 'deploy-staging-*.md' | Sort-Object LastWriteTime | Select-Object -Last 1
    Write-Host "Its report ($($report.Name)):"
    Get-Content -LiteralPath $report.FullName | Out-Host
    Write-Host 'The checklist''s StartingPoint holds the next deployment until staging''s error rate settles (a 1-minute rate window):'
    $settled = [DateTime]::UtcNow.AddMinutes(3)
    while (-not (Test-SkPreflight -Environment staging -Version 1.2.4 -Item StartingPoint -Quiet -WarningAction SilentlyContinue)) {
        if ([DateTime]::UtcNow -gt $settled) { throw 'Staging''s error rate did not settle within 3 minutes of the rollback.' }
        Write-Host '  not yet a healthy starting point; asking again in 5 s'
        Start-Sleep -Seconds 5
    }
    Write-Host '  staging is a healthy starting point again.'
}

Write-Step 'The manual path: each runbook step as its own cmdlet, for when someone needs one (here with 1.2.4)'
Write-Step 'Step 2: Run Database Migrations (staging, on the sandbox''s PostgreSQL)'
if (-not $sandbox.environment) {
    Write-Host 'The sandbox has no database (PostgreSQL is not installed); skipping the migration steps.' -ForegroundColor Yellow
}
else {
    Write-Host 'prisma migrate status:'
    Get-SkMigrationStatus -Environment staging | Format-Table | Out-Host
    Write-Host 'The Migration Safety Checklist, as a linter:'
    Test-SkMigrationSafety -Environment staging | Format-Table | Out-Host
    Write-Host 'What a deploy would do (-WhatIf changes nothing):'
    Invoke-SkMigration -Environment staging -WhatIf -WarningAction SilentlyContinue
    Write-Host 'prisma migrate deploy, each migration in its own transaction:'
    Invoke-SkMigration -Environment staging -Confirm:$false | Format-Table | Out-Host
    Get-SkMigrationStatus -Environment staging -Summary | Format-List | Out-Host
    Write-Host 'Verify migration success (prisma db pull --print):'
    Get-SkDatabaseSchema -Environment staging -Table Proposal | Format-List | Out-Host

    Write-Step 'Database Rollback: the payment-status migration, with its rollback script'
    Undo-SkMigration -Name 20261120150000_add_payment_status -Environment staging -Confirm:$false | Format-Table | Out-Host
}

Write-Step 'Pre-deployment checklist (staging): each box asked of the system that knows the answer'
Write-Host 'Who is on call comes from the sandbox''s PagerDuty; -Notify sends the "Deployment Started" notice and journals it:'
Test-SkPreflight -Environment staging -Version 1.2.4 -Notify -WarningAction SilentlyContinue | Format-Table | Out-Host
Write-Host 'A typo''d version is caught before any pod goes into ImagePullBackOff (the OCI registry has no such image):'
Test-SkPreflight -Environment staging -Version 1.2.33 -Item Images -ErrorAction SilentlyContinue | Format-List Item, Status, Detail | Out-Host

Write-Step 'Step 3: Deploy Backend Services (the sandbox''s cluster, through its Kubernetes API)'
Write-Host 'What runs in staging now:'
Get-SkDeployment staging | Format-Table | Out-Host
Write-Host 'Roll the release out, tier by tier in the runbook''s order (backend in parallel, then the gateway, then the web app):'
Start-SkRollout -Environment staging -Version 1.2.4 | Format-Table | Out-Host
Write-Host 'kubectl rollout history, as Get-SkDeploymentHistory reports it:'
Get-SkDeploymentHistory staging api-gateway | Format-Table | Out-Host
if (Get-Command kubectl -ErrorAction Ignore) {
    Write-Host 'The same cluster, as the real kubectl sees it:'
    kubectl --kubeconfig (Get-SkEnvironment staging).Kubernetes.Kubeconfig --cache-dir (Join-Path (Split-Path $env:SKDEPLOY_CONFIG) 'kubectl-cache') get deployments -n staging | Out-Host
}

Write-Step 'Step 6: Run Smoke Tests (the runbook''s checklist, from the smoke: list)'
Invoke-SkSmokeTest -Environment staging | Format-Table | Out-Host
Write-Host 'pnpm test:smoke:production becomes -Command; its exit code decides:'
Invoke-SkSmokeTest -Environment staging -Command 'Write-Output "12 smoke specs passed"' -SkipConfigured | Format-Table | Out-Host

if ($sandbox.prometheus) {
    Write-Step 'Step 7: Monitor Error Rates (a real Prometheus scraping the sandbox; 10 s here, 30 min in the runbook)'
    # Samples stream as they come; the summary (and any rollback) is shown after them in its own view.
    Watch-SkErrorRate -Environment staging -Duration 10s -Interval 2s -OutVariable watched -ErrorAction Continue | Where-Object { $_.PSObject.Properties["Query"] } | Out-Host
    $watched[-1] | Format-List | Out-Host

    Write-Step 'Immediate Rollback, decided: a faulty Market Service release caught by -AutoRollback'
    # A failed gate writes its results, then one error (ErrorRateWatchFailed): -ErrorAction Continue shows it and goes on.
    Start-SkRollout staging 1.2.5-faulty -Service market-svc | Wait-SkRollout |
        Watch-SkErrorRate -Duration 2m -Interval 1s -AutoRollback -OutVariable watched -ErrorAction Continue | Where-Object { $_.PSObject.Properties["Query"] } | Out-Host
    $watched | Where-Object { $_.PSObject.Properties["ToRevision"] } | Format-Table | Out-Host
    $watched[-1] | Format-List | Out-Host
    Get-SkDeployment staging market-svc | Format-Table | Out-Host
    Test-SkHealth -Environment staging -Service market-svc | Format-Table | Out-Host
}
else {
    Write-Warning "Prometheus is not installed, so the sandbox measures no error rates and the demo skips Watch-SkErrorRate. Install it (sudo apt-get install prometheus) and run the demo again."
    Write-Step 'Detect and roll back (Immediate Rollback): a faulty Market Service release, by hand'
    Start-SkRollout staging 1.2.5-faulty -Service market-svc | Format-Table | Out-Host
    Test-SkHealth -Environment staging -Service market-svc -WarningAction SilentlyContinue -ErrorAction Continue | Format-Table | Out-Host
    Undo-SkDeployment -Environment staging -Service market-svc | Format-Table | Out-Host
    Test-SkHealth -Environment staging -Service market-svc | Format-Table | Out-Host
}

Write-Step 'Communication: the runbook''s Rollback message, posted to the sandbox''s Slack-style webhook'
$rollbackNotice = New-SkDeploymentNotice -Kind Rollback -Service market-svc -FromVersion v1.2.5-faulty -ToVersion v1.2.4 -Reason 'Error rate above 10% (Watch-SkErrorRate)'
$rollbackNotice | Out-Host
$rollbackNotice | Send-SkNotification -Environment staging | Format-Table | Out-Host

Write-Step 'Pre-deployment checklist (production): CI on the release commit, and production''s pending migrations tested on staging'
# The sandbox's GitHub: the end-to-end suite on release/v1.2.4 is still running.
Set-CiChecks -Branch release/v1.2.4 -E2e @{ name = 'e2e'; status = 'in_progress' }
if ($sandbox.environment) {
    Write-Host 'CI''s e2e suite is still running, so production''s checklist fails on it:'
    Test-SkPreflight -Environment production -Version 1.2.4 -Notify @productionPreflight -ErrorAction Continue -WarningAction SilentlyContinue | Format-Table | Out-Host
    Write-Host 'Staging runs the payment-status migration again (undone above):'
    Invoke-SkMigration -Environment staging -Confirm:$false -WarningAction SilentlyContinue | Format-Table | Out-Host
}
else {
    Write-Host 'CI''s e2e suite is still running, so production''s checklist fails on it:'
    Test-SkPreflight -Environment production -Version 1.2.4 -Item CiPassing -ErrorAction Continue | Format-List Item, Status, Detail | Out-Host
}
Write-Host 'CI goes green while the checklist waits for it (-WaitForCi), and the checklist passes (the window as an emergency when it is closed):'
Set-CiChecks -Branch release/v1.2.4 -E2e @{ name = 'e2e'; status = 'completed'; conclusion = 'success'; completesAfterReads = 1 }
Test-SkPreflight -Environment production -Version 1.2.4 -WaitForCi 2m @productionPreflight -WarningAction SilentlyContinue | Format-Table | Out-Host

Write-Step 'Production Deployment: requires approval from an engineering lead (a second person, recorded in the cluster)'
$backend = 'auth-svc', 'market-svc', 'skillpod-svc', 'api-gateway'
Write-Host 'The deployer''s rollout of 1.2.4 is refused without an approval, and nothing changes:'
try { Start-SkRollout -Environment production -Version 1.2.4 -Service $backend @production -ErrorAction Stop -WarningAction SilentlyContinue }
catch { Write-Host "  $($_.FullyQualifiedErrorId.Split(',')[0]): $($_.Exception.Message)" }
Write-Host 'Nor may the deployer approve it (not in group:eng-leads, and the cluster''s RBAC lets only approvers write approvals):'
try { Approve-SkDeployment -Environment production -Version 1.2.4 -ErrorAction Stop }
catch { Write-Host "  $($_.FullyQualifiedErrorId.Split(',')[0]): $($_.Exception.Message)" }
Write-Host "The lead approves with their own kubeconfig ($($sandbox.users.approver.name)):"
Approve-SkDeployment -Environment production -Version 1.2.4 -Comment 'CHG-1043: release 1.2.4' -Kubeconfig $sandbox.kubeconfigs.approver | Format-Table | Out-Host
Write-Host 'Now the rollout goes through; its journal record names the deployer and the approver:'
Start-SkRollout -Environment production -Version 1.2.4 -Service $backend @production -WarningAction SilentlyContinue | Format-Table | Out-Host

Write-Step 'CDN Cache Clear: a CloudFront invalidation of /*, signed with SigV4, until Completed'
Clear-SkCdnCache -Environment production -Version v1.2.4 -Wait @production | Format-Table | Out-Host

Write-Step 'Feature Flags: enable for a quarter of users, then the kill switch'
Get-SkFeatureFlag -Environment production | Format-Table | Out-Host
Set-SkFeatureFlag -Environment production -Name new_dashboard -RolloutPercentage 25 -Version 1.2.4 @production -WarningAction SilentlyContinue | Format-Table | Out-Host
Write-Host 'The kill switch is a recovery action: the schedule never blocks it, and it needs no approval.'
Set-SkFeatureFlag -Environment production -Name problematic_feature -Enabled:$false -Force | Format-Table | Out-Host

Write-Step 'Canary Deployment (production): 5%, then 25%, then promote'
Start-SkCanary -Environment production -Service web -Version 1.2.4 -Weight 5 @production -WarningAction SilentlyContinue | Format-Table | Out-Host
Set-SkCanaryWeight -Environment production -Service web -Weight 25 @production -WarningAction SilentlyContinue | Format-Table | Out-Host
Complete-SkCanary -Environment production -Service web @production -WarningAction SilentlyContinue | Format-Table | Out-Host
Get-SkDeployment production web | Format-Table | Out-Host

if ($sandbox.prometheus) {
    Write-Step 'Progressive canary (staging): analysed against stable, stepped up, or aborted on its own'
    Write-Host 'Shortened for the demo: 10 s steps analysed every 5 s (the runbook: an hour per step, an analysis a minute).'
    Write-Host 'The sandbox''s staging web app gets busier (100 requests a second per pod), so a 25% canary sees 50 a second.'
    Invoke-RestMethod -Method Put -Uri "$($sandbox.baseUrl)sandbox/traffic/staging" -Body (@{ requestsPerPodPerSecond = 100 } | ConvertTo-Json) -ContentType 'application/json' | Out-Null
    Write-Host 'First v1.2.5-slow: healthy, its error rate normal, but twice as slow. The latency comparison catches it:'
    try { Invoke-SkCanary -Environment staging -Service web -Version 1.2.5-slow -Steps 25, 50, 100 -StepDuration 10s -Interval 5s -ErrorAction Stop -WarningAction SilentlyContinue | Out-Host }
    catch { Write-Host "  $($_.FullyQualifiedErrorId): $($_.Exception.Message)" -ForegroundColor Yellow }
    # The post-mortem's pictures: the record keeps the analyses, and the HTML report draws them (no script, nothing loaded).
    $reports = New-Item -ItemType Directory -Force -Path ([IO.Path]::Combine($PSScriptRoot, '..', 'out', 'demo'))
    $page = Get-SkDeploymentLog staging -Kind Canary -Last 1 | Export-SkDeploymentReport -Format Html -Path ([IO.Path]::Combine($reports.FullName, 'canary-1.2.5-slow.html'))
    Write-Host "Its journal record as one HTML page, with its charts (error ratio and p95, canary against stable, the abort marked): $($page.FullName)"
    if (Get-Command chromium -CommandType Application -ErrorAction Ignore) {
        $png = [IO.Path]::Combine($reports.FullName, 'canary-1.2.5-slow.png')
        $browserProfile = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-demo-chromium-$PID"
        $asRoot = @(if ([Environment]::UserName -eq 'root') { '--no-sandbox' })
        chromium --headless @asRoot --disable-gpu --no-first-run --disable-background-networking --disable-component-update "--user-data-dir=$browserProfile" `
            '--window-size=1000,1700' --hide-scrollbars "--screenshot=$png" ([Uri]::new($page.FullName).AbsoluteUri) 2>$null | Out-Null
        $taken = $LASTEXITCODE -eq 0 -and (Test-Path -LiteralPath $png)
        Remove-Item -Recurse -Force $browserProfile -ErrorAction Ignore
        if ($taken) { Write-Host "Headless chromium's screenshot of it: $png" }
        else { Write-Host "Headless chromium could not take a screenshot of it (exit code $LASTEXITCODE)." -ForegroundColor Yellow }
    }
    else { Write-Host 'With chromium installed (apt-get install chromium), the demo would also take a screenshot of it.' }
    Write-Host 'Then v1.2.5: no worse than stable at 25%, then at 50%, then promoted:'
    Invoke-SkCanary -Environment staging -Service web -Version 1.2.5 -Steps 25, 50, 100 -StepDuration 10s -Interval 5s -WarningAction SilentlyContinue | Out-Host
    Get-SkDeployment staging web | Format-Table | Out-Host
}

Write-Step 'Step 5: Verify health checks (every service at once)'
Test-SkHealth -Environment production | Format-Table | Out-Host

Write-Step 'Detect: the Auth Service starts failing its health check'
Set-SandboxHealth -Environment production -Service auth-svc -StatusCode 503 -Failures 2
Test-SkHealth -Environment production -Service auth-svc -ErrorAction Continue | Format-Table | Out-Host

Write-Step 'Recover: retry until the endpoint answers again'
Test-SkHealth -Environment production -Service auth-svc -Retry 3 -RetryIntervalSec 0.5 | Format-Table | Out-Host

Write-Step 'Script gate: -Quiet returns a single bool'
$healthy = Test-SkHealth -Environment production -Quiet
Write-Host "All production services healthy: $healthy"

Write-Host ''
Write-Step 'Communication: Deployment Complete, from the health checks'
@(Test-SkHealth -Environment production) | New-SkDeploymentNotice -Kind Complete -Version v1.2.4 -Environment production -KeyChanges 'Search jobs by skill', 'Login redirect loop fixed' | Out-Host

Write-Step 'Deploy Frontend Applications: what a Vercel deploy would run (-WhatIf; the token stays in VERCEL_TOKEN)'
$env:VERCEL_TOKEN = 'demo-token-never-shown'
Publish-SkFrontend -Environment production -Target Vercel -Path $PSScriptRoot -WhatIf
Publish-SkFrontend -Environment staging -Target Kubernetes -Version 1.2.4 | Format-Table | Out-Host

Write-Step 'Post-mortem: what happened, from the journal every change wrote to its environment''s namespace'
Write-Host 'Production''s deployment log, newest first (who is the identity the cluster authenticated):'
Get-SkDeploymentLog production | Format-Table | Out-Host
Write-Host 'Production''s approvals:'
Get-SkApproval production | Format-Table | Out-Host
Write-Host 'The production rollout as a Markdown timeline, ready for the post-mortem:'
Get-SkDeploymentLog production -Kind Rollout -Last 1 | Export-SkDeploymentReport -Format Markdown | Out-Host
Write-Host 'The journal, the approval and the lock, as the real kubectl sees them:'
if (Get-Command kubectl -ErrorAction Ignore) {
    kubectl get configmaps,secrets,leases -n production -l app.kubernetes.io/managed-by=skillancer-deploy | Out-Host
}

Write-Host 'Demo complete: every step of the runbook ran against the sandbox.' -ForegroundColor Green
