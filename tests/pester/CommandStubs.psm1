# Stand-in programs for the build's install paths (apt-get, sudo, id, npm): small sh scripts put
# first on a child's PATH. Each records how it was called in the file $env:STUB_LOG, one line per
# call, and then runs a body of its own.
Set-StrictMode -Version 3

function New-CommandStub {
    <# Writes an executable sh script $Name into $Directory that records its call and then runs $Body. #>
    param(
        [Parameter(Mandatory)] [string] $Directory,
        [Parameter(Mandatory)] [string] $Name,
        [string] $Body = 'exit 0'
    )
    New-Item -ItemType Directory -Path $Directory -Force | Out-Null
    $path = [IO.Path]::Combine($Directory, $Name)
    $record = 'printf ''%s|%s|%s\n'' "' + $Name + '" "${DEBIAN_FRONTEND:-}" "$*" >> "$STUB_LOG"'
    [IO.File]::WriteAllText($path, "#!/bin/sh`n$record`n$Body`n")
    [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
    return $path
}

function Get-StubCall {
    <# The calls recorded in $Log, in order: Program, DebianFrontend (the DEBIAN_FRONTEND it saw) and Arguments (space-separated). #>
    param([Parameter(Mandatory)] [string] $Log, [string] $Program)
    if (-not (Test-Path -LiteralPath $Log)) { return }
    foreach ($line in [IO.File]::ReadAllLines($Log)) {
        $name, $frontend, $arguments = $line -split '\|', 3
        if ($Program -and $name -ne $Program) { continue }
        [pscustomobject]@{ Program = $name; DebianFrontend = $frontend; Arguments = $arguments }
    }
}

Export-ModuleMember -Function New-CommandStub, Get-StubCall
