# Test-SkHealth against the sandbox's health endpoints (real HTTP over loopback).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Config = $env:SKDEPLOY_SANDBOX_CONFIG
    $script:Command = 'Skillancer.Deploy.Verification.TestSkHealthCommand'
}

Describe 'Test-SkHealth' {
    AfterEach {
        Reset-SandboxHealth
    }

    It 'checks every service of an environment and reports them in rollout order' {
        $results = Test-SkHealth -Environment staging -ConfigPath $Config
        $results.Service | Should -Be @('auth-svc', 'market-svc', 'skillpod-svc', 'api-gateway', 'web')
        $results | ForEach-Object { $_.Healthy | Should -BeTrue; $_.StatusCode | Should -Be 200; $_.Attempts | Should -Be 1 }
        ($results | Where-Object Service -eq 'web').Url.AbsolutePath | Should -Be '/svc/staging/web/api/health'
    }

    It 'reads like the runbook in its default view' {
        $text = Test-SkHealth -Environment staging -ConfigPath $Config | Out-String -Width 200
        $text | Should -Match "✅`u{FE0F} API Gateway: healthy"
        $text | Should -Match "✅`u{FE0F} Web App: healthy"
    }

    It 'checks only the services named with -Service' {
        (Test-SkHealth staging web, auth-svc -ConfigPath $Config).Service | Should -Be @('web', 'auth-svc')
    }

    It 'reports an unhealthy service with its status and a warning, and -Quiet turns false' {
        Set-SandboxHealth -Environment staging -Service market-svc -StatusCode 503
        $results = Test-SkHealth -Environment staging -ConfigPath $Config -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $market = $results | Where-Object Service -eq 'market-svc'
        $market.Healthy | Should -BeFalse
        $market.StatusCode | Should -Be 503
        $market.Error | Should -Match 'HTTP 503'
        "$warnings" | Should -Match '1 of 5 services are not healthy'
        ($results | Out-String -Width 200) | Should -Match "❌`u{FE0F} Market Service: unhealthy"
        Test-SkHealth -Environment staging -ConfigPath $Config -Quiet -WarningAction SilentlyContinue | Should -BeFalse
    }

    It 'retries a 503 that recovers' {
        Set-SandboxHealth -Environment staging -Service auth-svc -StatusCode 503 -Failures 2
        $result = Test-SkHealth staging auth-svc -ConfigPath $Config -Retry 3 -RetryIntervalSec 0.05
        $result.Healthy | Should -BeTrue
        $result.Attempts | Should -Be 3
    }

    It 'times out a slow endpoint' {
        Set-SandboxHealth -Environment staging -Service web -DelayMs 5000
        $result = Test-SkHealth staging web -ConfigPath $Config -TimeoutSec 0.2 -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $result.Healthy | Should -BeFalse
        $result.Error | Should -Match 'No answer within 0.2 s'
    }

    It 'takes services from Get-SkEnvironment through the pipeline' {
        $results = (Get-SkEnvironment production -ConfigPath $Config).Services | Where-Object Tier -eq 'Backend' | Test-SkHealth -ConfigPath $Config
        $results.Service | Should -Be @('auth-svc', 'market-svc', 'skillpod-svc')
        $results.Environment | Select-Object -Unique | Should -Be 'production'
    }

    It 'takes whole environments through the pipeline' {
        (Get-SkEnvironment -ConfigPath $Config | Test-SkHealth).Count | Should -Be 10
    }

    It '-Quiet returns true when every service is healthy' {
        $quiet = Test-SkHealth -Environment production -ConfigPath $Config -Quiet
        $quiet | Should -BeOfType [bool]
        $quiet | Should -BeTrue
    }

    It 'completes -Service from the environment already typed' {
        $saved = $env:SKDEPLOY_CONFIG
        try {
            $env:SKDEPLOY_CONFIG = $Config
            $line = 'Test-SkHealth -Environment staging -Service sk'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('skillpod-svc')
            $line = 'Test-SkHealth -Environment st'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('staging')
        }
        finally { $env:SKDEPLOY_CONFIG = $saved }
    }

    It 'stops promptly when the pipeline is stopped (Ctrl+C)' {
        Set-SandboxHealth -Environment staging -Service api-gateway -DelayMs 120000
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument($env:SKDEPLOY_MODULE_PATH).AddStatement().
                AddCommand('Test-SkHealth').AddParameter('Environment', 'staging').AddParameter('Service', 'api-gateway').
                AddParameter('TimeoutSec', 120).AddParameter('ConfigPath', $Config)
            $running = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($ps.Streams.Progress.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $ps.Streams.Progress.Count | Should -BeGreaterThan 0 -Because 'the check must be under way before it is stopped'

            $stopping = $ps.BeginStop($null, $null)
            $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10)) | Should -BeTrue -Because 'a stopped check must not wait for its 120 s timeout'
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            # The invocation's own handle is signalled just after the stop's: wait for it, with a deadline.
            $running.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10)) | Should -BeTrue
        }
        finally { $ps.Dispose() }
    }

    It 'sends a bearer token from the variable healthTokenEnv names and never shows it' {
        $sandbox = Get-SandboxInfo
        $config = New-TestConfig -Yaml @"
environments:
  staging:
    services:
      - name: web
        tier: frontend
        health: $($sandbox.baseUrl)svc/staging/web/api/health
        healthTokenEnv: SKDEPLOY_PESTER_HEALTH_TOKEN
"@
        $token = 'tok-' + [Guid]::NewGuid().ToString('N')
        $env:SKDEPLOY_PESTER_HEALTH_TOKEN = $token
        try {
            $everything = Test-SkHealth staging -ConfigPath $config -Verbose -Debug *>&1 | Out-String
            $everything | Should -Match 'healthy'
            $everything | Should -Not -Match $token
        }
        finally { $env:SKDEPLOY_PESTER_HEALTH_TOKEN = $null }
    }
}

Describe 'Test-SkHealth bad input' {
    It 'an unknown environment is EnvironmentNotFound' {
        Get-FullyQualifiedErrorId { Test-SkHealth -Environment qa -ConfigPath $Config } | Should -Be "EnvironmentNotFound,$Command"
    }

    It 'an unknown service is ServiceNotFound, and -Quiet then answers false' {
        Get-FullyQualifiedErrorId { Test-SkHealth -Environment staging -Service payments -ConfigPath $Config } | Should -Be "ServiceNotFound,$Command"
        Test-SkHealth -Environment staging -Service payments, web -ConfigPath $Config -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'a negative timeout is InvalidTimeout and nothing is checked' {
        Get-FullyQualifiedErrorId { Test-SkHealth -Environment staging -TimeoutSec -1 -ConfigPath $Config } | Should -Be "InvalidTimeout,$Command"
    }

    It 'a negative retry count is InvalidRetry' {
        Get-FullyQualifiedErrorId { Test-SkHealth -Environment staging -Retry -2 -ConfigPath $Config } | Should -Be "InvalidRetry,$Command"
    }

    It 'a token variable that is not set is SecretNotSet and names the variable' {
        $config = New-TestConfig -Yaml "environments:`n  staging:`n    services:`n      - { name: web, tier: frontend, health: 'http://127.0.0.1:9/health', healthTokenEnv: SKDEPLOY_PESTER_UNSET }`n"
        Get-FullyQualifiedErrorId { Test-SkHealth -Environment staging -ConfigPath $config } | Should -Be "SecretNotSet,$Command"
        $null = Test-SkHealth -Environment staging -ConfigPath $config -ErrorVariable failure -ErrorAction SilentlyContinue
        "$failure" | Should -Match 'SKDEPLOY_PESTER_UNSET'
    }

    It 'a service without a health endpoint is HealthEndpointNotConfigured when asked for by name' {
        $config = New-TestConfig -Yaml "environments:`n  staging:`n    services:`n      - { name: worker, tier: backend }`n"
        Get-FullyQualifiedErrorId { Test-SkHealth staging worker -ConfigPath $config } | Should -Be "HealthEndpointNotConfigured,$Command"
    }
}
