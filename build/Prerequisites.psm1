# Finds the programs the tests need and installs them with apt-get when they are missing, so a
# clean machine (CI) gets them without anyone preparing it.
Set-StrictMode -Version 3

function Install-AptPackage {
    param([Parameter(Mandatory)] [string[]] $Package)
    if (-not $IsLinux -or -not (Get-Command apt-get -ErrorAction Ignore)) {
        throw "Cannot install $($Package -join ', '): apt-get is not available. Install them by hand and run the task again."
    }
    $sudo = if ((& id -u) -eq '0') { @() } else { @('sudo') }
    Write-Host "Installing $($Package -join ', ') with apt-get..."
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & @sudo apt-get update -qq | Out-Null
    & @sudo apt-get install -y -qq --no-install-recommends @Package | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get install $($Package -join ' ') failed with exit code $LASTEXITCODE." }
}

function Find-PostgresTool {
    <# The path of a PostgreSQL server program (initdb, pg_ctl), installing PostgreSQL if needed. #>
    param([Parameter(Mandatory)] [string] $Name)
    $candidates = @(Get-ChildItem -Path '/usr/lib/postgresql/*/bin' -Filter $Name -ErrorAction Ignore | Sort-Object FullName -Descending)
    if ($candidates.Count -gt 0) { return $candidates[0].FullName }
    $onPath = Get-Command $Name -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    Install-AptPackage -Package postgresql
    $candidates = @(Get-ChildItem -Path '/usr/lib/postgresql/*/bin' -Filter $Name -ErrorAction Ignore | Sort-Object FullName -Descending)
    if ($candidates.Count -eq 0) { throw "PostgreSQL was installed but $Name was not found under /usr/lib/postgresql." }
    return $candidates[0].FullName
}

function Install-TestPrerequisites {
    <#
    Everything the test suites need on the machine: PostgreSQL's server programs, git (the release
    tests use real repositories) and npm (our package.json writer is compared with npm's).
    #>
    $null = Find-PostgresTool -Name initdb
    if (-not (Get-Command git -ErrorAction Ignore)) { Install-AptPackage -Package git }
    if (-not (Get-Command npm -ErrorAction Ignore)) { Install-AptPackage -Package nodejs, npm }
}

Export-ModuleMember -Function Install-AptPackage, Find-PostgresTool, Install-TestPrerequisites
