# Test-SkDeploymentWindow: the runbook's deployment schedule.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Example = Join-Path $PSScriptRoot '..' '..' 'examples' 'skdeploy.yml'
    $script:Command = 'Skillancer.Deploy.Schedule.TestSkDeploymentWindowCommand'
}

Describe 'Test-SkDeploymentWindow' {
    It 'allows a Tuesday afternoon in production and names the window' {
        $decision = Test-SkDeploymentWindow -At ([DateTimeOffset]'2026-12-01T15:00:00Z') -Environment production -ConfigPath $Example
        $decision.Allowed | Should -BeTrue
        $decision.Window | Should -Be 'Tuesday 14:00-18:00'
        $decision.WindowEnd | Should -Be ([DateTimeOffset]'2026-12-01T18:00:00Z')
    }

    It 'refuses a Friday and gives the next window' {
        $decision = Test-SkDeploymentWindow -At ([DateTimeOffset]'2026-12-04T15:00:00Z') -Environment production -ConfigPath $Example
        $decision.Allowed | Should -BeFalse
        $decision.Reason | Should -Match 'Fridays \(no weekend support\)'
        $decision.NextWindowStart | Should -Be ([DateTimeOffset]'2026-12-08T14:00:00Z')
    }

    It 'refuses during the configured Black Friday campaign blackout' {
        $decision = Test-SkDeploymentWindow -At ([DateTimeOffset]'2026-11-28T15:00:00Z') -Environment production -ConfigPath $Example
        $decision.Allowed | Should -BeFalse
        $decision.Reason | Should -Match "Blackout 'Black Friday campaign'"
    }

    It 'refuses a public holiday (Thanksgiving) inside a Thursday window' {
        (Test-SkDeploymentWindow -At ([DateTimeOffset]'2026-11-26T14:30:00Z') -ConfigPath $Example).Reason | Should -Match 'Thanksgiving'
    }

    It 'always allows an environment that does not enforce the schedule' {
        $decision = Test-SkDeploymentWindow -At ([DateTimeOffset]'2026-12-04T23:00:00Z') -Environment staging -ConfigPath $Example
        $decision.Allowed | Should -BeTrue
        $decision.Reason | Should -Match 'does not enforce'
    }

    It 'uses the runbook schedule when there is no configuration at all' {
        $saved = $env:SKDEPLOY_CONFIG
        $env:SKDEPLOY_CONFIG = $null
        Push-Location $TestDrive
        try {
            $decision = Test-SkDeploymentWindow -At ([DateTimeOffset]'2026-12-02T16:00:00Z') -Verbose 4>&1
            ($decision | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message | Should -Match "runbook's schedule"
            ($decision | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }).Window | Should -Be 'Wednesday 14:00-18:00'
        }
        finally { Pop-Location; $env:SKDEPLOY_CONFIG = $saved }
    }

    It '-Quiet returns a single bool' {
        $allowed = Test-SkDeploymentWindow -At ([DateTimeOffset]'2026-12-01T15:00:00Z') -ConfigPath $Example -Quiet
        $refused = Test-SkDeploymentWindow -At ([DateTimeOffset]'2026-12-04T15:00:00Z') -ConfigPath $Example -Quiet
        $allowed | Should -BeOfType [bool]
        $allowed | Should -BeTrue
        $refused | Should -BeFalse
    }

    It '-Emergency lets the deployment through and warns with the runbook duties' {
        $decision = Test-SkDeploymentWindow -At ([DateTimeOffset]'2026-12-04T15:00:00Z') -Environment production -ConfigPath $Example `
            -Emergency -Reason 'payments down' -WarningVariable warnings -WarningAction SilentlyContinue
        $decision.Allowed | Should -BeTrue
        $decision.Emergency | Should -BeTrue
        $decision.Duties | Should -HaveCount 4
        "$warnings" | Should -Match 'on-call'
        "$warnings" | Should -Match 'post-mortem'
    }

    It 'takes Environment from the pipeline by property name' {
        $decisions = Get-SkEnvironment -ConfigPath $Example | Test-SkDeploymentWindow -At ([DateTimeOffset]'2026-12-04T15:00:00Z') -ConfigPath $Example
        $decisions.Environment | Should -Be @('staging', 'production')
        $decisions.Allowed | Should -Be @($true, $false)
    }

    It 'shows allowed and refused at a glance' {
        $text = Test-SkDeploymentWindow -At ([DateTimeOffset]'2026-12-04T15:00:00Z') -ConfigPath $Example | Out-String -Width 200
        $text | Should -Match "⛔`u{FE0F} no"
        $text | Should -Match 'Fri 12-04 15:00\s+Tue 12-08 14:00\s+avoid Fridays'
    }
}

Describe 'Test-SkDeploymentWindow bad input' {
    It '-Emergency without -Reason is EmergencyReasonRequired' {
        Get-FullyQualifiedErrorId { Test-SkDeploymentWindow -Emergency -ConfigPath $Example } | Should -Be "EmergencyReasonRequired,$Command"
    }

    It 'an unknown environment is EnvironmentNotFound' {
        Get-FullyQualifiedErrorId { Test-SkDeploymentWindow -Environment qa -ConfigPath $Example } | Should -Be "EnvironmentNotFound,$Command"
    }
}
