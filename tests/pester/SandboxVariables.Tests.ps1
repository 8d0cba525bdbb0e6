# The one block the sandbox prints for a user to paste: it must set every variable its skdeploy.yml names.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Folder = Split-Path $env:SKDEPLOY_SANDBOX_CONFIG
    # build/Sandbox.psm1 keeps what the test run's sandbox printed up to its SKDEPLOY_CONFIG line.
    $printed = @(Get-Content (Join-Path $Folder 'sandbox.stdout.log'))
    $start = [Array]::FindIndex([string[]]$printed, [Predicate[string]] { param($line) $line -like '# Paste into PowerShell*' })
    $script:Block = if ($start -ge 0) { @($printed[$start..($printed.Count - 1)]) } else { @() }
    # Every key ending in Env in the written configuration, and the variable it names.
    $yaml = Get-Content -Raw $env:SKDEPLOY_SANDBOX_CONFIG
    $script:EnvKeys = @([regex]::Matches($yaml, '(?m)^[ \t]*(?:-[ \t]+)?(?<key>\w+Env):[ \t]*(?<variable>\S+)[ \t]*$'))
    $script:EnvKeyCount = [regex]::Matches($yaml, 'Env:').Count
    $script:Named = @($EnvKeys | ForEach-Object { $_.Groups['variable'].Value } | Sort-Object -Unique)
}

Describe 'The sandbox''s block of variables' {
    It 'is one block of $env: lines, the SKDEPLOY_CONFIG line last in the form build/Sandbox.psm1 waits for' {
        $Block.Count | Should -BeGreaterThan 3
        $Block[1..($Block.Count - 1)] | ForEach-Object { $_ | Should -Match '^\$env:\w+ = ''.*''$' }
        $Block[-1] -match '^\$env:SKDEPLOY_CONFIG = ''(?<path>.+)''$' | Should -BeTrue
        $Matches.path | Should -Be $env:SKDEPLOY_SANDBOX_CONFIG
    }

    It 'names, pasted into a fresh pwsh where none is set, every variable the written skdeploy.yml names, with the sandbox''s values' {
        $EnvKeys.Count | Should -Be $EnvKeyCount -Because 'every "Env:" key of the file is read by the pattern above'
        @($EnvKeys | ForEach-Object { $_.Groups['key'].Value } | Sort-Object -Unique) |
            Should -Be @('AuthorizationEnv', 'connectionStringEnv', 'passwordEnv', 'tokenEnv', 'usernameEnv', 'webhookUrlEnv')
        $blank = @{ KUBECONFIG = ''; SKDEPLOY_CONFIG = '' }
        foreach ($name in $Named) { $blank[$name] = '' }
        $read = "@($((@($Named) + 'KUBECONFIG', 'SKDEPLOY_CONFIG' | ForEach-Object { "'$_'" }) -join ', ')) | " +
            'ForEach-Object { [pscustomobject]@{ Name = $_; Value = [Environment]::GetEnvironmentVariable($_) } } | ConvertTo-Json -Compress'
        $run = Invoke-ChildPwsh -Script (($Block -join "`n") + "`n" + $read) -Environment $blank

        $run.ExitCode | Should -Be 0 -Because $run.Error
        $set = @($run.Output | ConvertFrom-Json)
        $expected = (Get-SandboxInfo).environment
        foreach ($name in $Named) {
            ($set | Where-Object Name -eq $name).Value | Should -Be $expected.$name -Because "skdeploy.yml names `$env:$name"
        }
        ($set | Where-Object Name -eq 'SKDEPLOY_CONFIG').Value | Should -Be $env:SKDEPLOY_SANDBOX_CONFIG
        ($set | Where-Object Name -eq 'KUBECONFIG').Value | Should -Be (Get-SandboxInfo).kubeconfig
    }

    It 'is all a fresh pwsh needs for the cmdlets that read those secrets' {
        $blank = @{ KUBECONFIG = ''; SKDEPLOY_CONFIG = '' }
        foreach ($name in $Named) { $blank[$name] = '' }
        $use = @'
$ErrorActionPreference = 'Stop'
Import-Module $env:SKDEPLOY_MODULE_PATH
[pscustomobject]@{
    Flags      = @(Get-SkFeatureFlag staging).Count
    Migrations = @(Get-SkMigrationStatus staging).Count
    Smoke      = @(Invoke-SkSmokeTest staging -Name 'User can log in' | Where-Object Passed).Count
} | ConvertTo-Json -Compress
'@
        $run = Invoke-ChildPwsh -Script (($Block -join "`n") + "`n" + $use) -Environment ($blank + @{ SKDEPLOY_MODULE_PATH = $env:SKDEPLOY_MODULE_PATH })

        $run.ExitCode | Should -Be 0 -Because $run.Error
        $result = $run.Output | ConvertFrom-Json
        $result.Flags | Should -BeGreaterThan 0
        $result.Migrations | Should -BeGreaterThan 0
        $result.Smoke | Should -Be 1
    }

    It 'is written to sandbox.env.ps1 beside skdeploy.yml too, for dot-sourcing' {
        @(Get-Content (Join-Path $Folder 'sandbox.env.ps1')) | Should -Be $Block
    }
}
