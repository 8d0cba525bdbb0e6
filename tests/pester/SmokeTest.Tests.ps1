# Invoke-SkSmokeTest: the configured checks against the sandbox's web app, Pester suites and external commands.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
}

Describe 'Invoke-SkSmokeTest' {
    It 'runs the runbook''s checklist and shows one line per check' {
        $cluster = New-TestCluster
        $results = Invoke-SkSmokeTest staging -ConfigPath $cluster.ConfigPath
        $results.Name | Should -Be @('Homepage loads', 'User can log in', 'Job listing works', 'Proposal submission works', 'Payment flow accessible')
        $results | ForEach-Object { $_.Passed | Should -BeTrue -Because $_.Detail; $_.Kind | Should -Be 'Http' }
        ($results | Out-String -Width 120) | Should -Match "✅`u{FE0F} Proposal submission works\s+Http\s+\d+ 201 in \d+ ms"
        Invoke-SkSmokeTest staging -ConfigPath $cluster.ConfigPath -Quiet | Should -BeTrue
    }

    It 'fails the checks a faulty rollout breaks, with a warning' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3-faulty -Service market-svc -ConfigPath $cluster.ConfigPath | Wait-SkRollout -ConfigPath $cluster.ConfigPath | Out-Null
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        do { $results = Invoke-SkSmokeTest staging -ConfigPath $cluster.ConfigPath -WarningVariable warnings -ErrorAction SilentlyContinue 3>$null }
        until (-not ($results | Where-Object Name -eq 'Job listing works').Passed -or [DateTime]::UtcNow -gt $deadline)
        ($results | Where-Object Name -eq 'Job listing works').Detail | Should -Match 'expected status 200, got 500'
        ($results | Where-Object Name -eq 'Homepage loads').Passed | Should -BeTrue
        "$warnings" | Should -Match '2 of 5 smoke checks failed'
        Invoke-SkSmokeTest staging -ConfigPath $cluster.ConfigPath -Quiet 3>$null | Should -BeFalse
    }

    It 'runs only the checks -Name matches' {
        $cluster = New-TestCluster
        (Invoke-SkSmokeTest staging -Name '*log*', 'Home*' -ConfigPath $cluster.ConfigPath).Name | Should -Be @('Homepage loads', 'User can log in')
    }

    It 'turns each test of a Pester suite into a result, with the environment passed in' {
        $cluster = New-TestCluster
        $suite = Join-Path $TestDrive 'Site.Tests.ps1'
        Set-Content -LiteralPath $suite -Value @'
Describe 'Site' {
    It 'knows the environment' { $env:SKDEPLOY_ENVIRONMENT | Should -Be 'staging' }
    It 'loads the homepage' { (Invoke-WebRequest -Uri $env:SKDEPLOY_ENVIRONMENT_URL).Content | Should -Match 'Skillancer' }
    It 'finds a missing page' { (Invoke-WebRequest -Uri "$($env:SKDEPLOY_ENVIRONMENT_URL)nothing-here" -SkipHttpErrorCheck).StatusCode | Should -Be 200 }
    It 'is skipped' -Skip { }
}
'@
        $results = Invoke-SkSmokeTest staging -Path $suite -SkipConfigured -ConfigPath $cluster.ConfigPath -ErrorAction SilentlyContinue 3>$null
        $results.Name | Should -Be @('Site.knows the environment', 'Site.loads the homepage', 'Site.finds a missing page', 'Site.is skipped')
        $results.Kind | Sort-Object -Unique | Should -Be 'Pester'
        $results.Outcome | Should -Be @('Passed', 'Passed', 'Failed', 'Skipped')
        $results[2].Detail | Should -Match 'Expected 200, but got 404'
    }

    It 'reports a suite that cannot run as one failed result' {
        $cluster = New-TestCluster
        $suite = Join-Path $TestDrive 'Broken.Tests.ps1'
        Set-Content -LiteralPath $suite -Value "Describe 'Broken' { BeforeAll { throw 'no database' }; It 'never runs' { } }"
        $results = Invoke-SkSmokeTest staging -Path $suite -SkipConfigured -ConfigPath $cluster.ConfigPath -ErrorAction SilentlyContinue 3>$null
        $results | ForEach-Object { $_.Passed | Should -BeFalse }
        ($results.Detail -join ' ') | Should -Match 'no database'
    }

    It 'judges an external command by its exit code and keeps the tail of its output' {
        $cluster = New-TestCluster
        $passed = Invoke-SkSmokeTest staging -Command 'if ($env:SKDEPLOY_ENVIRONMENT -ne ''staging'') { exit 9 }' -SkipConfigured -ConfigPath $cluster.ConfigPath
        $failed = Invoke-SkSmokeTest staging -Command '1..30 | ForEach-Object { "line $_" }; exit 3' -SkipConfigured -ConfigPath $cluster.ConfigPath -ErrorAction SilentlyContinue 3>$null
        $passed.Passed | Should -BeTrue
        $passed.Kind | Should -Be 'Command'
        $failed.Passed | Should -BeFalse
        $failed.Detail | Should -Match '^exit code 3: line 11'
        $failed.Detail | Should -Match 'line 30$'
        $failed.Detail | Should -Not -Match 'line 10\b'
    }

    It 'runs the smoke suites the configuration lists (smoke: - command:) under their names, unless -Name picks checks' {
        $cluster = New-TestCluster
        $config = New-TestConfig -Yaml ((Get-Content -Raw $cluster.ConfigPath) -replace '(?m)^(    smoke:\s*\n)', "`$1      - { name: Staging suite, command: 'if (`$env:SKDEPLOY_ENVIRONMENT -ne ''staging'') { exit 4 }' }`n")
        $all = Invoke-SkSmokeTest staging -ConfigPath $config
        $picked = Invoke-SkSmokeTest staging -Name 'Homepage loads' -ConfigPath $config

        ($all | Where-Object Name -EQ 'Staging suite').Kind | Should -Be 'Command'
        ($all | Where-Object Name -EQ 'Staging suite').Passed | Should -BeTrue
        $all.Count | Should -Be 6
        $picked.Name | Should -Be 'Homepage loads'
    }

    It 'names an unknown -Name (or a wildcard that matches nothing) and the checks there are, and sends nothing' {
        $cluster = New-TestCluster
        $id = 'Skillancer.Deploy.Verification.InvokeSkSmokeTestCommand'
        $sent = { @(Invoke-RestMethod -Uri "$((Get-SandboxInfo).baseUrl)sandbox/requests" | Where-Object path -like "/svc/$($cluster.Staging)/*").Count }
        $before = & $sent
        Get-FullyQualifiedErrorId { Invoke-SkSmokeTest staging -Name 'Homepage loads', 'Payments work' -ConfigPath $cluster.ConfigPath } | Should -Be "SmokeCheckNotFound,$id"
        $known = "Its checks are: 'Homepage loads', 'User can log in', 'Job listing works', 'Proposal submission works', 'Payment flow accessible'\."
        { Invoke-SkSmokeTest staging -Name 'Payments work' -ConfigPath $cluster.ConfigPath -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "No smoke check in 'staging' matches -Name 'Payments work'. Its checks are: *"
        try { Invoke-SkSmokeTest staging -Name 'refund*', '*login*' -ConfigPath $cluster.ConfigPath -ErrorAction Stop } catch { $message = $_.Exception.Message }
        $message | Should -Match "^No smoke check in 'staging' matches -Name 'refund\*', '\*login\*'\. $known Pass one of those names"
        & $sent | Should -Be $before
    }

    It 'completes -Name from the smoke: list of the environment typed' {
        $config = New-TestConfig -Yaml @"
environments:
  staging:
    url: http://127.0.0.1:9/
    services: []
    smoke:
      - { name: Homepage loads, request: GET / }
      - { name: Health, request: GET /health }
  production:
    url: http://127.0.0.1:9/
    services: []
    smoke:
      - { name: Payments, request: GET /pay }
"@
        $complete = { param($line) (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText }
        & $complete "Invoke-SkSmokeTest -ConfigPath '$config' -Environment staging -Name " | Should -Be @("'Homepage loads'", 'Health')
        & $complete "Invoke-SkSmokeTest staging -ConfigPath '$config' -Name ho" | Should -Be @("'Homepage loads'")
        & $complete "Invoke-SkSmokeTest production -ConfigPath '$config' -Name " | Should -Be @('Payments')
    }

    It 'rejects bad input with specific error ids and sends nothing' {
        $cluster = New-TestCluster
        $id = 'Skillancer.Deploy.Verification.InvokeSkSmokeTestCommand'
        Get-FullyQualifiedErrorId { Invoke-SkSmokeTest staging -Path (Join-Path $TestDrive 'missing') -ConfigPath $cluster.ConfigPath } | Should -Be "SmokeSuiteNotFound,$id"
        $bare = New-TestConfig -Yaml "environments:`n  staging:`n    url: http://127.0.0.1:9/`n    services: []`n"
        Get-FullyQualifiedErrorId { Invoke-SkSmokeTest staging -ConfigPath $bare } | Should -Be "NoSmokeChecks,$id"
        $secret = New-TestConfig -Yaml "environments:`n  staging:`n    url: http://127.0.0.1:9/`n    services: []`n    smoke:`n      - name: Me`n        request: GET /api/me`n        headers: { AuthorizationEnv: SKDEPLOY_TEST_UNSET_TOKEN }`n"
        Get-FullyQualifiedErrorId { Invoke-SkSmokeTest staging -ConfigPath $secret } | Should -Be "SecretNotSet,$id"
    }
}
