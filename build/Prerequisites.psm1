# Finds the programs the tests need and installs them with apt-get when they are missing, so a
# clean machine (CI) gets them without anyone preparing it.
Set-StrictMode -Version 3

function Install-AptPackage {
    param([Parameter(Mandatory)] [string[]] $Package)
    if (-not $IsLinux -or -not (Get-Command apt-get -ErrorAction Ignore)) {
        throw "Cannot install $($Package -join ', '): apt-get is not available. Install them by hand and run the task again."
    }
    Write-Host "Installing $($Package -join ', ') with apt-get..."
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-AsRoot apt-get update -qq
    if ($LASTEXITCODE -ne 0) { throw "apt-get update failed with exit code $LASTEXITCODE." }
    Invoke-AsRoot apt-get install -y -qq --no-install-recommends @Package
    if ($LASTEXITCODE -ne 0) { throw "apt-get install $($Package -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-AsRoot {
    <# Runs a program as root: directly when this process is root (CI), through sudo otherwise. #>
    $Program, $Arguments = $args
    $Arguments = @($Arguments)
    if ((& id -u) -eq '0') { & $Program @Arguments | Out-Host }
    else { & sudo --preserve-env=DEBIAN_FRONTEND $Program @Arguments | Out-Host }
}

function Test-PostgresInstalled {
    <# True when PostgreSQL's server programs are where the sandbox looks for them. #>
    return [bool](Get-ChildItem -Path '/usr/lib/postgresql/*/bin/initdb' -ErrorAction Ignore) -or [bool](Get-Command initdb -ErrorAction Ignore)
}

function Install-TestPrerequisites {
    <#
    Everything the test suites need on the machine: PostgreSQL's server programs (the sandbox starts
    a throwaway cluster with them), git (the release tests use real repositories), npm (our
    package.json writer is compared with npm's), psql (the migration benchmark's reference) and
    kubectl (the sandbox's Kubernetes API is checked with it; Debian's is kubernetes-client) and
    Prometheus (the sandbox runs one that scrapes its services; the error-rate tests query it).
    #>
    if (-not (Test-PostgresInstalled)) { Install-AptPackage -Package postgresql }
    if (-not (Get-Command git -ErrorAction Ignore)) { Install-AptPackage -Package git }
    if (-not (Get-Command npm -ErrorAction Ignore)) { Install-AptPackage -Package nodejs, npm }
    if (-not (Get-Command kubectl -ErrorAction Ignore)) { Install-AptPackage -Package kubernetes-client }
    if (-not (Get-Command prometheus -ErrorAction Ignore)) { Install-AptPackage -Package prometheus }
}

# The vercel CLI the tests run offline (--version); 61 and newer do not install from this registry.
$VercelVersion = '58.10.0'

function Install-VercelCli {
    <# Installs the pinned vercel CLI into a folder of the build's own (npm, no global install) and returns its path. #>
    param([Parameter(Mandatory)] [string] $Destination)
    $program = [IO.Path]::Combine($Destination, 'node_modules', '.bin', $(if ($IsWindows) { 'vercel.cmd' } else { 'vercel' }))
    $installed = [IO.Path]::Combine($Destination, 'node_modules', 'vercel', 'package.json')
    if ((Test-Path $installed) -and (Get-Content -Raw $installed | ConvertFrom-Json).version -eq $VercelVersion) { return $program }
    Write-Host "Installing the vercel CLI $VercelVersion into $Destination..."
    New-Item -ItemType Directory -Path $Destination -Force | Out-Null
    & npm install --no-audit --no-fund --loglevel=error --save-exact --prefix $Destination "vercel@$VercelVersion" | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "npm install vercel@$VercelVersion failed with exit code $LASTEXITCODE." }
    return $program
}

Export-ModuleMember -Function Install-AptPackage, Test-PostgresInstalled, Install-TestPrerequisites, Install-VercelCli
