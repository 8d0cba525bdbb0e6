#Requires -Version 7.4
<#
.SYNOPSIS
Builds, tests, demonstrates, packages and benchmarks Skillancer.Deploy.

.DESCRIPTION
Tasks:
  Bootstrap  restore the local tools and the Pester suite's packages; install missing test prerequisites
  Build      build the solution and lay out out/Skillancer.Deploy as an installable module folder (with help)
  Test       Bootstrap + Build + Package, start the sandbox (with its throwaway PostgreSQL), run xUnit then Pester,
             write JUnit XML to out/test-results/, and end with "Tests: N passed, N failed, N skipped"
  Demo       Build, start the sandbox, run examples/Demo.ps1 against it, stop everything
  Sandbox    Build, start the sandbox in the foreground until Ctrl+C
  Package    Build, then write out/packages/Skillancer.Deploy.<version>.nupkg
  Bench      Build, start the sandbox, run bench/*.ps1 (or only those named by -BenchFile)
  Clean      remove out/ and every bin/ and obj/ folder

Every process a task starts is stopped when the task ends, whether it succeeds, fails or is interrupted.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Bootstrap', 'Build', 'Test', 'Demo', 'Sandbox', 'Package', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Test task, for a developer's quick loop: an xUnit filter expression (dotnet test --filter) and/or
    # Pester file names (Cdn, Rollout, ...). With either one, only the suites named run.
    [string] $XunitFilter,
    [string[]] $PesterFile,

    # Bench task: the bench/*.ps1 names to run (Import-Module, Rollout, ...); all of them when omitted.
    [string[]] $BenchFile
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

foreach ($helper in 'ChildProcess', 'GitIsolation', 'Prerequisites', 'Sandbox', 'TestReport') {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'build', "$helper.psm1")) -Force
}

$Root = $PSScriptRoot
$Out = [IO.Path]::Combine($Root, 'out')
$ModuleName = 'Skillancer.Deploy'
$ModuleOut = [IO.Path]::Combine($Out, $ModuleName)
$TestResults = [IO.Path]::Combine($Out, 'test-results')
$Packages = [IO.Path]::Combine($Out, 'packages')
$SandboxDll = [IO.Path]::Combine($Root, 'src', 'Skillancer.Deploy.Sandbox', 'bin', $Configuration, 'net10.0', 'Skillancer.Deploy.Sandbox.dll')
$Solution = [IO.Path]::Combine($Root, 'Skillancer.Deploy.sln')

function Invoke-Native {
    # Runs a program and fails the task when it fails. A plain function, so that arguments such
    # as -c or -o pass through to the program untouched.
    $Program, $Arguments = $args
    $Arguments = @($Arguments | ForEach-Object { [string]$_ })
    $exit = Invoke-ChildProcess -FilePath $Program -ArgumentList $Arguments
    if ($exit -ne 0) { throw "$Program $($Arguments -join ' ') failed with exit code $exit." }
}

function Get-PinnedVersion([string] $Property) {
    $props = [xml](Get-Content -Raw ([IO.Path]::Combine($Root, 'Directory.Packages.props')))
    return ($props.Project.PropertyGroup | ForEach-Object { $_.$Property } | Where-Object { $_ } | Select-Object -First 1)
}

function Get-NuGetPackagesFolder {
    $line = & dotnet nuget locals global-packages --list
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-Bootstrap {
    Invoke-Native dotnet tool restore
    Invoke-Native dotnet restore ([IO.Path]::Combine($Root, 'tests', 'Skillancer.Deploy.TestTools', 'Skillancer.Deploy.TestTools.csproj'))
}

function Invoke-Build {
    Invoke-Native dotnet build $Solution -c $Configuration --nologo -v quiet --disable-build-servers
    $publish = [IO.Path]::Combine($Out, 'obj', 'publish')
    Remove-Item -Recurse -Force $publish, $ModuleOut -ErrorAction Ignore
    Invoke-Native dotnet publish ([IO.Path]::Combine($Root, 'src', $ModuleName, "$ModuleName.csproj")) -c $Configuration -o $publish --no-build --nologo -v quiet --disable-build-servers

    # The module folder: the cmdlet assembly at the root, the engine and every third-party
    # assembly in Dependencies/ (loaded by the module's private AssemblyLoadContext).
    $dependencies = [IO.Path]::Combine($ModuleOut, 'Dependencies')
    New-Item -ItemType Directory -Path $dependencies -Force | Out-Null
    foreach ($file in Get-ChildItem $publish -File) {
        $destination = switch -Regex ($file.Name) {
            "^$([regex]::Escape($ModuleName))\.(dll|pdb)$" { $ModuleOut; break }
            '\.ps1xml$' { $ModuleOut; break }
            '\.(dll|pdb)$' { $dependencies; break }
            default { $null }
        }
        if ($destination) { Copy-Item $file.FullName $destination }
    }
    Copy-Item ([IO.Path]::Combine($Root, "$ModuleName.psd1")) $ModuleOut
    # The example configuration ships in the module: ConfigNotFound and the empty-file error name it.
    $examples = [IO.Path]::Combine($ModuleOut, 'examples')
    New-Item -ItemType Directory -Path $examples -Force | Out-Null
    Copy-Item ([IO.Path]::Combine($Root, 'examples', 'skdeploy.yml')) $examples
    $help = [IO.Path]::Combine($ModuleOut, 'en-US')
    New-Item -ItemType Directory -Path $help -Force | Out-Null
    Copy-Item ([IO.Path]::Combine($Root, 'docs', "about_$ModuleName.help.txt")) $help
    $exit = Invoke-ChildPwsh -File ([IO.Path]::Combine($Root, 'build', 'Build-Help.ps1')) -ArgumentList @(
        '-ModulePath', $ModuleOut, '-DocsPath', ([IO.Path]::Combine($Root, 'docs', 'cmdlets')), '-OutFile', ([IO.Path]::Combine($help, "$ModuleName.dll-Help.xml")),
        '-DocumentationFile', ([IO.Path]::Combine($publish, "$ModuleName.xml")))
    if ($exit -ne 0) { throw 'The help pages are incomplete (see above).' }
    Write-Host "Module laid out in $ModuleOut"
}

function Invoke-Package {
    Remove-Item -Recurse -Force $Packages -ErrorAction Ignore
    New-Item -ItemType Directory -Path $Packages -Force | Out-Null
    Compress-PSResource -Path $ModuleOut -DestinationPath $Packages
    $package = Get-ChildItem $Packages -Filter '*.nupkg' | Select-Object -First 1
    if (-not $package) { throw "Compress-PSResource wrote no package to $Packages." }
    Write-Host "Package: $($package.FullName)"
}

function Invoke-WithSandbox([scriptblock] $Action, [string[]] $ExtraArguments = @()) {
    # Starts the sandbox (and its throwaway PostgreSQL), runs the action with it, and stops it however the action ends.
    $sandbox = $null
    try {
        $sandbox = Start-Sandbox -SandboxDll $SandboxDll -OutputDirectory ([IO.Path]::Combine($Out, 'sandbox')) -ArgumentList (@(
            '--migrations', ([IO.Path]::Combine($Root, 'examples', 'prisma', 'migrations')),
            '--rollback-scripts', ([IO.Path]::Combine($Root, 'examples', 'prisma', 'rollback'))) + $ExtraArguments)
        & $Action $sandbox
    }
    finally {
        Stop-Sandbox $sandbox
    }
}

function Invoke-Test {
    # Adds the name of each runner that fails to $FailedRunners; runner output goes straight to the console.
    param([Collections.Generic.List[string]] $FailedRunners)
    Install-TestPrerequisites
    $vercel = Install-VercelCli -Destination ([IO.Path]::Combine($Out, 'tools', 'vercel'))
    New-Item -ItemType Directory -Path $TestResults -Force | Out-Null
    # No test may lean on this machine's git identity or settings: CI has none.
    $git = Get-IsolatedGitEnvironment -Directory ([IO.Path]::Combine($Out, 'test-git'))
    Invoke-WithSandbox {
        param($sandbox)
        if (-not $sandbox.Info.postgres) { throw 'The sandbox started without PostgreSQL, which the tests need (see its output above).' }
        $filtered = $XunitFilter -or $PesterFile
        if ($XunitFilter -or -not $filtered) {
            $exit = Invoke-ChildProcess -FilePath dotnet -ArgumentList (@(
                'test', $Solution, '-c', $Configuration, '--no-build', '--nologo', '--disable-build-servers',
                '--logger', "junit;LogFilePath=$TestResults/{assembly}.xml;MethodFormat=Class;FailureBodyFormat=Verbose",
                '--logger', 'console;verbosity=minimal') + $(if ($XunitFilter) { @('--filter', $XunitFilter) } else { @() })) -Environment (@{
                SKDEPLOY_TEST_POSTGRES  = $sandbox.Info.postgres
                SKDEPLOY_SANDBOX_CONFIG = $sandbox.ConfigPath
                SKDEPLOY_VERCEL         = $vercel
            } + $git)
            if ($exit -ne 0) { $FailedRunners.Add("xUnit (exit code $exit)") }
        }
        if ($filtered -and -not $PesterFile) { return }

        $pester = [IO.Path]::Combine((Get-NuGetPackagesFolder), 'pester', (Get-PinnedVersion 'PesterVersion'), 'tools', 'Pester.psd1')
        $foreignYaml = [IO.Path]::Combine((Get-NuGetPackagesFolder), 'yamldotnet', (Get-PinnedVersion 'ForeignYamlDotNetVersion'), 'lib', 'netstandard2.0', 'YamlDotNet.dll')
        $exit = Invoke-ChildPwsh -File ([IO.Path]::Combine($Root, 'tests', 'pester', 'Invoke-PesterSuite.ps1')) -ArgumentList (@(
            '-PesterPath', $pester, '-ResultFile', ([IO.Path]::Combine($TestResults, 'pester.xml'))) + $(if ($PesterFile) { @('-Name', ($PesterFile -join ',')) } else { @() })) -Environment (@{
            SKDEPLOY_MODULE_PATH     = $ModuleOut
            SKDEPLOY_PACKAGES        = $Packages
            SKDEPLOY_FOREIGN_YAML    = $foreignYaml
            SKDEPLOY_SANDBOX_CONFIG  = $sandbox.ConfigPath
            SKDEPLOY_TEST_POSTGRES   = $sandbox.Info.postgres
            SKDEPLOY_VERCEL          = $vercel
        } + $git)
        if ($exit -ne 0) { $FailedRunners.Add("Pester (exit code $exit)") }
    } -ExtraArguments @('--rollout-step', '0.2')   # rollouts a test can wait for; the demo keeps the default second
}

function Invoke-Clean {
    Remove-Item -Recurse -Force $Out -ErrorAction Ignore
    Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj |
        Remove-Item -Recurse -Force -ErrorAction Ignore
    Write-Host 'Cleaned.'
}

Push-Location $Root
try {
    switch ($Task) {
        'Bootstrap' { Invoke-Bootstrap; Install-TestPrerequisites }
        'Build' { Invoke-Build }
        'Package' { Invoke-Build; Invoke-Package }
        'Clean' { Invoke-Clean }
        'Sandbox' {
            Invoke-Build
            Write-Host 'Starting the sandbox; press Ctrl+C to stop it.'
            Invoke-Native dotnet $SandboxDll --out ([IO.Path]::Combine($Out, 'sandbox')) --parent-pid $PID `
                --migrations ([IO.Path]::Combine($Root, 'examples', 'prisma', 'migrations')) `
                --rollback-scripts ([IO.Path]::Combine($Root, 'examples', 'prisma', 'rollback'))
        }
        'Demo' {
            Invoke-Build
            Invoke-WithSandbox {
                param($sandbox)
                $exit = Invoke-ChildPwsh -File ([IO.Path]::Combine($Root, 'examples', 'Demo.ps1')) -Environment @{
                    SKDEPLOY_CONFIG = $sandbox.ConfigPath; SKDEPLOY_MODULE_PATH = $ModuleOut }
                if ($exit -ne 0) { throw "The demo failed with exit code $exit." }
            }
        }
        'Bench' {
            Invoke-Build
            Invoke-WithSandbox {
                param($sandbox)
                # "-BenchFile A,B" from a command line (pwsh -File) arrives as one string.
                $names = @($BenchFile | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
                $benches = @(Get-ChildItem ([IO.Path]::Combine($Root, 'bench')) -Filter '*.ps1' | Where-Object { -not $names -or $_.BaseName -in $names })
                if (-not $benches) { throw "No bench is named $($names -join ', '). The benches: $((Get-ChildItem ([IO.Path]::Combine($Root, 'bench')) -Filter '*.ps1').BaseName -join ', ')." }
                foreach ($bench in $benches | Sort-Object Name) {
                    Write-Host "`n== $($bench.BaseName) ==" -ForegroundColor Cyan
                    $exit = Invoke-ChildPwsh -File $bench.FullName -Environment @{
                        SKDEPLOY_SANDBOX_CONFIG = $sandbox.ConfigPath; SKDEPLOY_MODULE_PATH = $ModuleOut }
                    if ($exit -ne 0) { throw "$($bench.Name) failed with exit code $exit." }
                }
            }
        }
        'Test' {
            $failedRunners = [Collections.Generic.List[string]]::new()
            # An earlier run's results must never be counted for this one, even when this one aborts.
            Remove-Item -Recurse -Force $TestResults -ErrorAction Ignore
            try {
                Invoke-Bootstrap
                Invoke-Build
                Invoke-Package
                Invoke-Test -FailedRunners $failedRunners
            }
            catch {
                Write-Host "Test run aborted: $_" -ForegroundColor Red
                $failedRunners.Add("aborted: $_")
            }
            $totals = Get-JUnitTotals -Directory $TestResults
            foreach ($file in $totals.Unreadable) { $failedRunners.Add("unreadable result file $file") }
            foreach ($runner in $failedRunners) { Write-Host "Failed: $runner" -ForegroundColor Red }
            $ok = $failedRunners.Count -eq 0 -and $totals.Failed -eq 0 -and ($totals.Passed + $totals.Failed) -gt 0
            Write-Host "Tests: $($totals.Passed) passed, $($totals.Failed) failed, $($totals.Skipped) skipped"
            exit $(if ($ok) { 0 } else { 1 })
        }
    }
}
finally {
    Pop-Location
}
