# What build.ps1 prepares for the tests. Its install paths run for real in a child pwsh against
# stand-in programs first on PATH (tests/pester/CommandStubs.psm1): the apt-get install of missing
# test prerequisites, as root and through sudo; which prerequisites count as missing; the vercel
# CLI's npm install. And the git configuration the test runs see: none of the machine's.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CommandStubs.psm1') -Force
    $script:Prerequisites = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'build', 'Prerequisites.psm1'))

    function Invoke-Prerequisites {
        <#
        Runs $Script in a child pwsh that has imported build/Prerequisites.psm1, with only the folders
        in $Path on PATH. Returns the run (exit code, output) and the calls the stubs recorded.
        #>
        param([Parameter(Mandatory)] [string] $Script, [Parameter(Mandatory)] [string[]] $Path, [hashtable] $Environment = @{})
        $log = Join-Path $TestDrive ('calls-' + [Guid]::NewGuid().ToString('N').Substring(0, 8) + '.log')
        $run = Invoke-ChildPwsh -Script ("`$ErrorActionPreference = 'Stop'; Import-Module `$env:PREREQUISITES_MODULE`n" + $Script) -Environment (@{
                PATH = $Path -join [IO.Path]::PathSeparator; STUB_LOG = $log; PREREQUISITES_MODULE = $Prerequisites } + $Environment)
        [pscustomobject]@{
            ExitCode = $run.ExitCode
            Text     = $run.Output + $run.Error
            AptGet   = @(Get-StubCall -Log $log -Program 'apt-get')
            Sudo     = @(Get-StubCall -Log $log -Program 'sudo')
            Npm      = @(Get-StubCall -Log $log -Program 'npm')
        }
    }

    function New-StubFolder {
        <# A new folder for stubs under TestDrive. #>
        $folder = Join-Path $TestDrive ('bin-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $folder | Out-Null
        return $folder
    }

    function New-AptStubs {
        <#
        A folder with apt-get, and an id that reports $UserId; with -Sudo also a sudo that records
        its call, drops its options and runs the rest. apt-get chatters like the real one.
        #>
        param([int] $UserId = 0, [switch] $Sudo, [string] $AptGet = 'echo "Reading package lists..."; exit 0')
        $folder = New-StubFolder
        New-CommandStub -Directory $folder -Name 'apt-get' -Body $AptGet | Out-Null
        New-CommandStub -Directory $folder -Name 'id' -Body "echo $UserId" | Out-Null
        if ($Sudo) { New-CommandStub -Directory $folder -Name 'sudo' -Body 'while [ "${1#-}" != "$1" ]; do shift; done; exec "$@"' | Out-Null }
        return $folder
    }

    function New-InstalledPrograms {
        <# A folder with a stand-in for every program the tests need, except those named in $Except. #>
        param([string[]] $Except = @())
        $folder = New-StubFolder
        foreach ($program in 'initdb', 'psql', 'git', 'npm', 'kubectl', 'prometheus', 'chromium' | Where-Object { $_ -notin $Except }) {
            New-CommandStub -Directory $folder -Name $program | Out-Null
        }
        return $folder
    }
}

Describe 'Installing a package with apt-get' -Skip:(-not $IsLinux) {
    It 'as root, runs apt-get update and then apt-get install -y … prometheus directly, quietly and non-interactively' {
        $stubs = New-AptStubs -UserId 0 -Sudo
        $run = Invoke-Prerequisites -Path $stubs -Environment @{ DEBIAN_FRONTEND = 'readline' } -Script @'
Install-AptPackage -Package prometheus
"DEBIAN_FRONTEND afterwards: $env:DEBIAN_FRONTEND"
'@

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.AptGet.Count | Should -Be 2
        $run.AptGet[0].Arguments | Should -Match '^update( |$)'
        $run.AptGet[1].Arguments | Should -Match '^install .*-y .*prometheus$'
        $run.AptGet.DebianFrontend | Should -Be @('noninteractive', 'noninteractive')
        $run.Sudo | Should -BeNullOrEmpty
        $run.Text | Should -Not -Match 'Reading package lists' -Because "apt-get's output is shown only when it fails"
        $run.Text | Should -Match 'DEBIAN_FRONTEND afterwards: readline'
    }

    It 'as another user, runs them through sudo and keeps DEBIAN_FRONTEND' {
        $stubs = New-AptStubs -UserId 1000 -Sudo
        $run = Invoke-Prerequisites -Path $stubs -Script 'Install-AptPackage -Package prometheus'

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Sudo.Count | Should -Be 2
        $run.Sudo[0].Arguments | Should -Match '^--preserve-env=DEBIAN_FRONTEND apt-get update( |$)'
        $run.Sudo[1].Arguments | Should -Match '^--preserve-env=DEBIAN_FRONTEND apt-get install .*-y .*prometheus$'
        $run.AptGet.Count | Should -Be 2
        $run.AptGet[0].Arguments | Should -Match '^update( |$)'
        $run.AptGet[1].Arguments | Should -Match '^install .*-y .*prometheus$'
        $run.AptGet.DebianFrontend | Should -Be @('noninteractive', 'noninteractive')
    }

    It 'as another user without sudo, runs nothing and says what to run as root' {
        $stubs = New-AptStubs -UserId 1000
        $run = Invoke-Prerequisites -Path $stubs -Script 'Install-AptPackage -Package nodejs, npm'

        $run.ExitCode | Should -Not -Be 0
        $run.Text | Should -Match 'sudo is not installed'
        $run.Text | Should -Match 'apt-get install nodejs npm'
        $run.AptGet | Should -BeNullOrEmpty
    }

    It "shows apt-get's output and stops when it fails" {
        $stubs = New-AptStubs -AptGet 'if [ "$1" = install ]; then echo "E: Unable to locate package kubernetes-client" >&2; exit 100; fi'
        $run = Invoke-Prerequisites -Path $stubs -Script 'Install-AptPackage -Package kubernetes-client'

        $run.ExitCode | Should -Not -Be 0
        $run.Text | Should -Match 'E: Unable to locate package kubernetes-client'
        $run.Text | Should -Match 'exit code 100'
    }
}

Describe 'Installing the missing test prerequisites' -Skip:(-not $IsLinux) {
    It 'installs <Packages> when only <Program> is missing' -ForEach @(
        @{ Program = 'initdb'; Packages = 'postgresql' }
        @{ Program = 'psql'; Packages = 'postgresql-client' }
        @{ Program = 'git'; Packages = 'git' }
        @{ Program = 'npm'; Packages = 'nodejs npm' }
        @{ Program = 'kubectl'; Packages = 'kubernetes-client' }
        @{ Program = 'prometheus'; Packages = 'prometheus' }
        @{ Program = 'chromium'; Packages = 'chromium' }
    ) {
        $path = (New-AptStubs), (New-InstalledPrograms -Except $Program)
        $run = Invoke-Prerequisites -Path $path -Script 'Install-TestPrerequisites -PostgresInstallRoot $env:NO_POSTGRES' -Environment @{ NO_POSTGRES = (New-StubFolder) }

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.AptGet.Count | Should -Be 2
        $run.AptGet[0].Arguments | Should -Match '^update( |$)'
        $run.AptGet[1].Arguments | Should -Match "^install .*-y .* $([regex]::Escape($Packages))$"
    }

    It 'installs everything in one apt-get run on a machine that has none of it' {
        $run = Invoke-Prerequisites -Path (New-AptStubs) -Script 'Install-TestPrerequisites -PostgresInstallRoot $env:NO_POSTGRES' -Environment @{ NO_POSTGRES = (New-StubFolder) }

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.AptGet.Arguments | Should -HaveCount 2
        $run.AptGet[0].Arguments | Should -Match '^update( |$)'
        $run.AptGet[1].Arguments | Should -Match '^install .*-y .* postgresql postgresql-client git nodejs npm kubernetes-client prometheus chromium$'
    }

    It 'runs no apt-get when nothing is missing' {
        $path = (New-AptStubs), (New-InstalledPrograms)
        $run = Invoke-Prerequisites -Path $path -Script 'Install-TestPrerequisites -PostgresInstallRoot $env:NO_POSTGRES' -Environment @{ NO_POSTGRES = (New-StubFolder) }

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.AptGet | Should -BeNullOrEmpty
    }

    It "finds PostgreSQL's initdb where Debian keeps it, off PATH" {
        $postgres = New-StubFolder
        New-CommandStub -Directory ([IO.Path]::Combine($postgres, '15', 'bin')) -Name 'initdb' | Out-Null
        $path = (New-AptStubs), (New-InstalledPrograms -Except 'initdb')
        $run = Invoke-Prerequisites -Path $path -Script 'Install-TestPrerequisites -PostgresInstallRoot $env:POSTGRES' -Environment @{ POSTGRES = $postgres }

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.AptGet | Should -BeNullOrEmpty
    }
}

Describe 'Installing the vercel CLI' -Skip:$IsWindows {
    BeforeAll {
        # npm's part that matters here: the package lands in <prefix>/node_modules.
        $script:NpmStubs = New-StubFolder
        New-CommandStub -Directory $NpmStubs -Name 'npm' -Body @'
prefix=; version=
while [ $# -gt 0 ]; do case "$1" in --prefix) prefix="$2"; shift ;; vercel@*) version="${1#vercel@}" ;; esac; shift; done
mkdir -p "$prefix/node_modules/vercel" && printf '{ "name": "vercel", "version": "%s" }\n' "$version" > "$prefix/node_modules/vercel/package.json"
'@ | Out-Null
    }

    It 'installs the pinned version with npm into the folder given, returns its program, and finds it there next time' {
        $destination = Join-Path $TestDrive 'tools' 'vercel'
        $run = Invoke-Prerequisites -Path $NpmStubs, $env:PATH -Environment @{ DESTINATION = $destination } -Script @'
"first: $(Install-VercelCli -Destination $env:DESTINATION)"
"second: $(Install-VercelCli -Destination $env:DESTINATION)"
'@

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Npm.Count | Should -Be 1 -Because 'the second call finds the pinned version installed'
        $run.Npm[0].Arguments | Should -Match "^install .*--save-exact .*--prefix $([regex]::Escape($destination)) vercel@\d+\.\d+\.\d+$"
        $program = [IO.Path]::Combine($destination, 'node_modules', '.bin', 'vercel')
        $run.Text | Should -Match "first: $([regex]::Escape($program))"
        $run.Text | Should -Match "second: $([regex]::Escape($program))"
    }

    It 'installs it again over another version' {
        $destination = Join-Path $TestDrive 'old'
        New-Item -ItemType Directory -Path (Join-Path $destination 'node_modules' 'vercel') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $destination 'node_modules' 'vercel' 'package.json') -Value '{ "name": "vercel", "version": "41.0.0" }'
        $run = Invoke-Prerequisites -Path $NpmStubs, $env:PATH -Environment @{ DESTINATION = $destination } -Script 'Install-VercelCli -Destination $env:DESTINATION | Out-Null'

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Npm.Count | Should -Be 1
        (Get-Content -Raw (Join-Path $destination 'node_modules' 'vercel' 'package.json') | ConvertFrom-Json).version | Should -Not -Be '41.0.0'
    }

    It 'stops when npm fails' {
        $failing = New-StubFolder
        New-CommandStub -Directory $failing -Name 'npm' -Body 'echo "npm error 404 Not Found" >&2; exit 1' | Out-Null
        $run = Invoke-Prerequisites -Path $failing, $env:PATH -Environment @{ DESTINATION = (Join-Path $TestDrive 'failing') } -Script 'Install-VercelCli -Destination $env:DESTINATION'

        $run.ExitCode | Should -Not -Be 0
        $run.Text | Should -Match 'npm install vercel@\S+ failed with exit code 1'
    }
}

Describe 'The git configuration of the test runs' {
    It "is their repositories' own, so that no test can lean on this machine's identity or settings" {
        $repository = Join-Path $TestDrive 'fresh'
        git init --quiet $repository
        $origins = @(git -C $repository config --list --show-origin --name-only | ForEach-Object { ($_ -split "`t")[0] } | Sort-Object -Unique)
        $origins | Should -Be @('file:.git/config') -Because 'build.ps1 hides the global and system files from the test runners (GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM)'
    }

    It 'hides a global identity that the machine has, without touching its file' {
        $machineHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory -Path $machineHome | Out-Null
        $gitconfig = Join-Path $machineHome '.gitconfig'
        Set-Content -LiteralPath $gitconfig -Value "[user]`n`tname = Someone Else`n`temail = someone@example.test"
        $before = Get-FileHash -LiteralPath $gitconfig
        $script = @'
$ErrorActionPreference = 'Stop'
Remove-Item Env:GIT_CONFIG_GLOBAL, Env:GIT_CONFIG_NOSYSTEM -ErrorAction Ignore
"machine: $(git config --get user.name)"
Import-Module $env:GIT_ISOLATION_MODULE
$isolated = Get-IsolatedGitEnvironment -Directory $env:ISOLATED
foreach ($name in $isolated.Keys) { [Environment]::SetEnvironmentVariable($name, $isolated[$name]) }
"isolated: $(git config --get user.name)"
'@
        $run = Invoke-ChildPwsh -Script $script -Environment @{
            HOME = $machineHome; XDG_CONFIG_HOME = (Join-Path $machineHome '.config'); ISOLATED = (Join-Path $TestDrive 'isolated')
            GIT_ISOLATION_MODULE = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'build', 'GitIsolation.psm1'))
        }

        $run.ExitCode | Should -Be 0 -Because $run.Error
        $run.Output | Should -Match '(?m)^machine: Someone Else\s*$'
        $run.Output | Should -Match '(?m)^isolated:\s*$'
        (Get-FileHash -LiteralPath $gitconfig).Hash | Should -Be $before.Hash
    }
}
