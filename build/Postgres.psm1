# A throwaway PostgreSQL cluster for the test run: created in a temp folder, listening on a free
# loopback port, and removed when the run ends. As root it runs as the 'postgres' user.
Set-StrictMode -Version 3
Import-Module (Join-Path $PSScriptRoot 'Prerequisites.psm1')

function Get-FreeTcpPort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { return ([Net.IPEndPoint]$listener.LocalEndpoint).Port } finally { $listener.Stop() }
}

function Invoke-AsPostgresUser {
    param([Parameter(Mandatory)] [string] $Program, [string[]] $ArgumentList)
    if ($IsLinux -and (& id -u) -eq '0') {
        & runuser -u postgres -- $Program @ArgumentList
    }
    else {
        & $Program @ArgumentList
    }
    if ($LASTEXITCODE -ne 0) { throw "$([IO.Path]::GetFileName($Program)) failed with exit code $LASTEXITCODE." }
}

function Start-ThrowawayPostgres {
    [OutputType([pscustomobject])]
    param()
    $initdb = Find-PostgresTool -Name initdb
    $pgCtl = Find-PostgresTool -Name pg_ctl
    $root = Join-Path ([IO.Path]::GetTempPath()) "skdeploy-pg-$([Guid]::NewGuid().ToString('N').Substring(0, 8))"
    $data = Join-Path $root 'data'
    New-Item -ItemType Directory -Path $data -Force | Out-Null
    if ($IsLinux -and (& id -u) -eq '0') { & chown -R postgres:postgres $root }
    $port = Get-FreeTcpPort
    Invoke-AsPostgresUser $initdb @('-D', $data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale') | Out-Null
    $options = "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    Invoke-AsPostgresUser $pgCtl @('-D', $data, '-o', $options, '-l', (Join-Path $root 'server.log'), '-w', '-t', '60', 'start') | Out-Null
    Write-Host "PostgreSQL started on 127.0.0.1:$port ($root)"
    [pscustomobject]@{
        Root             = $root
        Data             = $data
        PgCtl            = $pgCtl
        Port             = $port
        ConnectionString = "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    }
}

function Stop-ThrowawayPostgres {
    param([pscustomobject] $Server)
    if (-not $Server) { return }
    try { Invoke-AsPostgresUser $Server.PgCtl @('-D', $Server.Data, '-m', 'immediate', '-w', 'stop') | Out-Null }
    catch { Write-Warning "Stopping PostgreSQL: $_" }
    Remove-Item -Recurse -Force $Server.Root -ErrorAction Ignore
}

Export-ModuleMember -Function Start-ThrowawayPostgres, Stop-ThrowawayPostgres, Get-FreeTcpPort
