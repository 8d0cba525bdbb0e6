# Get-SkEnvironment and the configuration behind every cmdlet: discovery, validation, completion.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Example = Join-Path $PSScriptRoot '..' '..' 'examples' 'skdeploy.yml'
    $script:Command = 'Skillancer.Deploy.Configuration.GetSkEnvironmentCommand'
}

Describe 'Get-SkEnvironment' {
    It 'emits every environment with its services in rollout order' {
        $environments = Get-SkEnvironment -ConfigPath $Example
        $environments.Name | Should -Be @('staging', 'production')
        $production = $environments | Where-Object Name -eq 'production'
        $production.RequireApproval | Should -BeTrue
        $production.Services.Name | Should -Be @('auth-svc', 'market-svc', 'skillpod-svc', 'api-gateway', 'web')
        $production.Services.Tier | Select-Object -Last 1 | Should -Be 'Frontend'
    }

    It 'selects environments by wildcard and by name from the pipeline' {
        (Get-SkEnvironment -Name 'prod*' -ConfigPath $Example).Name | Should -Be 'production'
        ('staging' | Get-SkEnvironment -ConfigPath $Example).Name | Should -Be 'staging'
    }

    It 'exposes Environment and Service so its objects bind to the next cmdlet' {
        $staging = Get-SkEnvironment staging -ConfigPath $Example
        $staging.Environment | Should -Be 'staging'
        $staging.Services[0].Service | Should -Be 'auth-svc'
        $staging.Services[0].Environment | Should -Be 'staging'
    }

    It 'counts the services in its table and lists them in rollout order in its list view' {
        $table = Get-SkEnvironment -ConfigPath $Example | Format-Table | Out-String -Width 250
        $table | Should -Match 'staging\s+none\s+staging\s+5\s+https://staging\.skillancer\.com'
        $list = Get-SkEnvironment staging -ConfigPath $Example | Format-List | Out-String -Width 250
        $list | Should -Match 'Services\s+: auth-svc, market-svc, skillpod-svc, api-gateway, web'
    }

    It 'finds the configuration through $env:SKDEPLOY_CONFIG, and then upwards from the current folder' {
        $config = New-TestConfig -Yaml "environments:`n  found-by-variable:`n    services: []`n"
        $saved = $env:SKDEPLOY_CONFIG
        try {
            $env:SKDEPLOY_CONFIG = $config
            (Get-SkEnvironment).Name | Should -Be 'found-by-variable'

            $env:SKDEPLOY_CONFIG = $null
            $nested = Join-Path (Split-Path $config) 'a' 'b'
            New-Item -ItemType Directory -Path $nested | Out-Null
            Push-Location $nested
            try { (Get-SkEnvironment).Name | Should -Be 'found-by-variable' } finally { Pop-Location }
        }
        finally { $env:SKDEPLOY_CONFIG = $saved }
    }

    It 'warns about unknown keys and still works' {
        $config = New-TestConfig -Yaml "environments:`n  staging:`n    servces: []`n"
        $result = Get-SkEnvironment -ConfigPath $config -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Name | Should -Be 'staging'
        "$warnings" | Should -Match "skdeploy.yml:3:5: environments.staging.servces: Unknown key 'servces'"
    }

    It 'completes -Environment from the configuration' {
        $saved = $env:SKDEPLOY_CONFIG
        try {
            $env:SKDEPLOY_CONFIG = (Resolve-Path $Example).Path
            $line = 'Get-SkEnvironment -Name pro'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $completions | Should -Be @('production')
        }
        finally { $env:SKDEPLOY_CONFIG = $saved }
    }
}

Describe 'Get-SkEnvironment bad input' {
    It 'an unknown environment is EnvironmentNotFound and names the known ones' {
        $id = Get-FullyQualifiedErrorId { Get-SkEnvironment -Name prod -ConfigPath $Example }
        $id | Should -Be "EnvironmentNotFound,$Command"
        $null = Get-SkEnvironment -Name prod -ConfigPath $Example -ErrorVariable failure -ErrorAction SilentlyContinue
        "$failure" | Should -Match 'Known environments: staging, production'
    }

    It 'a missing config file is ConfigNotFound' {
        Get-FullyQualifiedErrorId { Get-SkEnvironment -ConfigPath (Join-Path $TestDrive 'nope.yml') } |
            Should -Be "ConfigNotFound,$Command"
    }

    It 'malformed YAML is ConfigSyntaxError with file:line:column' {
        $config = New-TestConfig -Yaml "environments:`n  staging:`n    url: `"https://x`n"
        Get-FullyQualifiedErrorId { Get-SkEnvironment -ConfigPath $config } | Should -Be "ConfigSyntaxError,$Command"
        try { Get-SkEnvironment -ConfigPath $config -ErrorAction Stop } catch { $_.Exception.Message | Should -Match 'skdeploy\.yml:\d+:\d+: the file is not valid YAML' }
    }

    It 'an unknown tier is ConfigInvalid.Tier with file:line:column and the key' {
        $config = New-TestConfig -Yaml "environments:`n  staging:`n    services:`n      - { name: web, tier: fronted }`n"
        Get-FullyQualifiedErrorId { Get-SkEnvironment -ConfigPath $config } | Should -Be "ConfigInvalid.Tier,$Command"
        try { Get-SkEnvironment -ConfigPath $config -ErrorAction Stop } catch { $message = $_.Exception.Message }
        $message | Should -Match 'skdeploy\.yml:4:\d+: environments\.staging\.services\[0\]\.tier'
        $message | Should -Match 'shared, backend, gateway, frontend'
    }

    It 'an invalid URL is ConfigInvalid.Url' {
        $config = New-TestConfig -Yaml "environments:`n  staging:`n    url: not-a-url`n    services: []`n"
        Get-FullyQualifiedErrorId { Get-SkEnvironment -ConfigPath $config } | Should -Be "ConfigInvalid.Url,$Command"
    }

    It 'a bad duration is ConfigInvalid.Duration' {
        $config = New-TestConfig -Yaml "defaults:`n  monitor: { duration: soon }`nenvironments:`n  staging:`n    services: []`n"
        Get-FullyQualifiedErrorId { Get-SkEnvironment -ConfigPath $config } | Should -Be "ConfigInvalid.Duration,$Command"
    }

    It 'a missing required key is ConfigInvalid and names the key that was expected' {
        $config = New-TestConfig -Yaml "environments:`n  staging:`n    services:`n      - { tier: backend }`n"
        Get-FullyQualifiedErrorId { Get-SkEnvironment -ConfigPath $config } | Should -Be "ConfigInvalid,$Command"
    }

    It 'never shows a .NET stack trace' {
        $config = New-TestConfig -Yaml "environments:`n  staging:`n    services:`n      - { name: web, tier: nope }`n"
        $record = $null
        try { Get-SkEnvironment -ConfigPath $config -ErrorAction Stop } catch { $record = $_ }
        ($record | Out-String) | Should -Not -Match '   at Skillancer\.'
        $record.Exception.StackTrace | Should -BeNullOrEmpty
    }
}
