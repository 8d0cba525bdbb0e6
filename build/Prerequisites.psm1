# Finds the programs the tests need and installs them with apt-get when they are missing, so a
# clean machine (CI) gets them without anyone preparing it.
Set-StrictMode -Version 3

# What the test suites run, and the Debian packages that bring it.
$TestPrerequisites = @(
    # The sandbox starts a throwaway cluster with initdb and pg_ctl (Debian keeps them off PATH).
    [pscustomobject]@{ Program = 'initdb'; Packages = @('postgresql') }
    # The Pester suite checks migrations with psql; the migration benchmark compares with it.
    [pscustomobject]@{ Program = 'psql'; Packages = @('postgresql-client') }
    # The release tests use real repositories with a bare origin.
    [pscustomobject]@{ Program = 'git'; Packages = @('git') }
    # Our package.json writer is compared with npm's; npm installs the vercel CLI.
    [pscustomobject]@{ Program = 'npm'; Packages = @('nodejs', 'npm') }
    # The sandbox's Kubernetes API is checked with the real kubectl.
    [pscustomobject]@{ Program = 'kubectl'; Packages = @('kubernetes-client') }
    # The sandbox runs one that scrapes its services; the error-rate tests query it.
    [pscustomobject]@{ Program = 'prometheus'; Packages = @('prometheus') }
    # The HTML report is loaded in a real browser, headless: its charts drawn, no network request made.
    [pscustomobject]@{ Program = 'chromium'; Packages = @('chromium') }
)

function Get-MissingTestPrerequisite {
    <#
    The test prerequisites this machine lacks, each with the apt packages that provide it. A program
    counts as present when it is on PATH; initdb also where the sandbox looks for Debian's
    PostgreSQL (under -PostgresInstallRoot, in <version>/bin).
    #>
    [OutputType([pscustomobject])]
    param([string] $PostgresInstallRoot = '/usr/lib/postgresql')
    foreach ($prerequisite in $TestPrerequisites) {
        if (Get-Command $prerequisite.Program -CommandType Application -ErrorAction Ignore) { continue }
        if ($prerequisite.Program -eq 'initdb' -and
            (Get-ChildItem -Path ([IO.Path]::Combine($PostgresInstallRoot, '*', 'bin', 'initdb')) -ErrorAction Ignore)) { continue }
        $prerequisite
    }
}

function Install-TestPrerequisites {
    <# Installs, in one apt-get run, whatever Get-MissingTestPrerequisite finds missing. #>
    param([string] $PostgresInstallRoot = '/usr/lib/postgresql')
    $missing = @(Get-MissingTestPrerequisite -PostgresInstallRoot $PostgresInstallRoot)
    if ($missing.Count -eq 0) { return }
    Write-Host "The tests need $(($missing.Program) -join ', '), which this machine lacks."
    Install-AptPackage -Package @($missing.Packages | Select-Object -Unique)
}

function Install-AptPackage {
    <# apt-get update, then apt-get install of the packages, as root; apt-get's output is shown only when it fails. #>
    param([Parameter(Mandatory)] [string[]] $Package)
    if (-not $IsLinux -or -not (Get-Command apt-get -CommandType Application -ErrorAction Ignore)) {
        throw "Cannot install $($Package -join ', '): apt-get is not available. Install them by hand and run the task again."
    }
    if (-not (Test-Root) -and -not (Get-Command sudo -CommandType Application -ErrorAction Ignore)) {
        throw "Cannot install $($Package -join ', '): this user is not root and sudo is not installed. As root, run: apt-get install $($Package -join ' '); then run the task again."
    }
    Write-Host "Installing $($Package -join ', ') with apt-get..."
    # Waits for a dpkg lock held by another apt (a fresh cloud machine runs unattended-upgrades at boot).
    $lockWait = 'DPkg::Lock::Timeout=300'
    $frontend = $env:DEBIAN_FRONTEND
    $env:DEBIAN_FRONTEND = 'noninteractive'
    try {
        Invoke-AsRoot apt-get update -qq -o $lockWait
        Invoke-AsRoot apt-get install -y -qq --no-install-recommends -o $lockWait @Package
    }
    finally {
        $env:DEBIAN_FRONTEND = $frontend
    }
}

function Invoke-AsRoot {
    <#
    Runs a program as root: directly when this process is root (CI), through sudo otherwise, keeping
    DEBIAN_FRONTEND. Its output is shown only when it fails, and then the task stops. A plain
    function, so that arguments such as -y or -o pass through to the program untouched.
    #>
    $Program, $Arguments = $args
    $Arguments = @($Arguments | ForEach-Object { [string]$_ })
    $PSNativeCommandUseErrorActionPreference = $false
    $output = if (Test-Root) { & $Program @Arguments 2>&1 } else { & sudo --preserve-env=DEBIAN_FRONTEND $Program @Arguments 2>&1 }
    if ($LASTEXITCODE -ne 0) {
        $output | ForEach-Object { "$_" } | Out-Host
        throw "$Program $($Arguments -join ' ') failed with exit code $LASTEXITCODE (its output is above)."
    }
}

function Test-Root {
    <# True when this process runs as root (effective user id 0; `id -u` is POSIX, so coreutils and busybox agree). #>
    return "$(& id -u)".Trim() -eq '0'
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

Export-ModuleMember -Function Get-MissingTestPrerequisite, Install-TestPrerequisites, Install-AptPackage, Install-VercelCli
