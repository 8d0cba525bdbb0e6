# Shared helpers of the Pester suite. The suite runs against the BUILT module in out/, whose path
# build.ps1 passes in $env:SKDEPLOY_MODULE_PATH, and against the sandbox it started.
Set-StrictMode -Version 3

function Import-SkModule {
    if (-not $env:SKDEPLOY_MODULE_PATH) { throw 'SKDEPLOY_MODULE_PATH is not set; run the suite through build.ps1 -Task Test.' }
    Import-Module $env:SKDEPLOY_MODULE_PATH -Force -Global -ErrorAction Stop
    # The variables the sandbox hands its clients, such as the smoke checks' test-user token.
    foreach ($variable in @((Get-SandboxInfo).environment.PSObject.Properties)) { [Environment]::SetEnvironmentVariable($variable.Name, $variable.Value) }
}

function Wait-ErrorRateData {
    <# Waits (up to 30 s) until Prometheus has scraped enough of a namespace's services to give each a rate. #>
    param([Parameter(Mandatory)] [string] $Namespace)
    $prometheus = (Get-SandboxInfo).prometheus
    if (-not $prometheus) { throw 'The sandbox runs no Prometheus; install it (apt-get install prometheus).' }
    $query = "count(sum by (service) (rate(http_requests_total{namespace=""$Namespace""}[5s])) > 0)"
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ([DateTime]::UtcNow -lt $deadline) {
        $answer = Invoke-RestMethod -Uri "$($prometheus)api/v1/query?query=$([Uri]::EscapeDataString($query))"
        if ($answer.data.result.Count -gt 0 -and [int]$answer.data.result[0].value[1] -eq 5) { return }
        Start-Sleep -Milliseconds 200
    }
    throw "Prometheus has no rates for namespace $Namespace after 30 s."
}

function Get-SandboxInfo {
    if (-not $env:SKDEPLOY_SANDBOX_CONFIG) { throw 'SKDEPLOY_SANDBOX_CONFIG is not set; run the suite through build.ps1 -Task Test.' }
    return Get-Content -Raw (Join-Path (Split-Path $env:SKDEPLOY_SANDBOX_CONFIG) 'sandbox.json') | ConvertFrom-Json
}

function Set-SandboxHealth {
    param([string] $Environment, [string] $Service, [int] $StatusCode = 200, [int] $DelayMs = 0, [Nullable[int]] $Failures)
    $body = @{ statusCode = $StatusCode; delayMs = $DelayMs; failures = $Failures } | ConvertTo-Json
    Invoke-RestMethod -Method Put -Uri "$((Get-SandboxInfo).baseUrl)sandbox/health/$Environment/$Service" -Body $body -ContentType 'application/json' | Out-Null
}

function Reset-SandboxHealth {
    Invoke-RestMethod -Method Delete -Uri "$((Get-SandboxInfo).baseUrl)sandbox/health" | Out-Null
}

function New-TestConfig {
    <# Writes YAML to a new skdeploy.yml in its own folder under TestDrive and returns the path. #>
    param([Parameter(Mandatory)] [string] $Yaml)
    $folder = Join-Path $TestDrive ([Guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $folder | Out-Null
    $path = Join-Path $folder 'skdeploy.yml'
    Set-Content -LiteralPath $path -Value $Yaml -NoNewline
    return $path
}

function Get-FullyQualifiedErrorId {
    <#
    Runs a script block that must fail and returns the FullyQualifiedErrorId of its first error,
    whether the command reported it with WriteError or threw it as a terminating error.
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    try {
        $errors = @(& $ScriptBlock 2>&1 | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
    }
    catch {
        return $_.FullyQualifiedErrorId
    }
    if ($errors.Count -gt 0) { return $errors[0].FullyQualifiedErrorId }
    throw 'The command did not fail.'
}

function Invoke-ChildPwsh {
    <#
    Runs a script in a fresh pwsh (the same PowerShell as this one) with extra environment variables.
    Returns its exit code and everything it wrote.
    #>
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
    $executable = [Environment]::ProcessPath
    $start = [Diagnostics.ProcessStartInfo]::new($executable)
    if ([IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') { $start.ArgumentList.Add([IO.Path]::Combine($PSHOME, 'pwsh.dll')) }
    foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $Script) { $start.ArgumentList.Add($argument) }
    $start.Environment['NO_COLOR'] = '1'   # plain text: what it writes ends up in test reports
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = [string]$Environment[$name] }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    try {
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        return [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout; Error = $stderr.Result }
    }
    finally {
        if (-not $process.HasExited) { $process.Kill($true) }
        $process.Dispose()
    }
}

function New-GitWorkspace {
    <#
    A bare origin and a clone of it under TestDrive, in folders whose names have a space and a
    non-ASCII letter, with a test identity in the clone and package.json at -Version on master.
    #>
    param([string] $Version = '1.2.2', [hashtable] $Files = @{})
    $root = Join-Path $TestDrive ("git " + [Guid]::NewGuid().ToString('N').Substring(0, 6))
    $origin = Join-Path $root 'origin.git'
    $clone = Join-Path $root 'work ü'
    New-Item -ItemType Directory -Path $root | Out-Null
    git init --quiet --bare -b master $origin
    git clone --quiet $origin $clone 2>$null
    git -C $clone config user.name 'Pester'
    git -C $clone config user.email 'pester@skillancer.test'
    git -C $clone config commit.gpgsign false
    git -C $clone checkout --quiet -b master
    $all = @{ 'package.json' = "{`n  `"name`": `"svc`",`n  `"version`": `"$Version`"`n}`n" } + $Files
    foreach ($name in $all.Keys) {
        $path = Join-Path $clone $name
        New-Item -ItemType Directory -Path (Split-Path $path) -Force | Out-Null
        [IO.File]::WriteAllText($path, $all[$name])
    }
    git -C $clone add --all
    git -C $clone commit --quiet -m 'chore: initial commit'
    git -C $clone push --quiet origin master 2>$null
    [pscustomobject]@{ Root = $root; Origin = $origin; Clone = $clone }
}

function Get-TreeHash {
    <# A hash of every byte under the given folders, .git included: equal hashes mean nothing changed. #>
    param([Parameter(Mandatory)] [string[]] $Path)
    $sha = [Security.Cryptography.IncrementalHash]::CreateHash('SHA256')
    foreach ($folder in $Path) {
        foreach ($file in Get-ChildItem -LiteralPath $folder -Recurse -File -Force | Sort-Object FullName) {
            $sha.AppendData([Text.Encoding]::UTF8.GetBytes($file.FullName))
            $sha.AppendData([IO.File]::ReadAllBytes($file.FullName))
        }
    }
    return [Convert]::ToHexString($sha.GetHashAndReset())
}

function Get-TestServer {
    <# Host and port of the test run's PostgreSQL (the sandbox's throwaway cluster). #>
    if (-not $env:SKDEPLOY_TEST_POSTGRES) { throw 'SKDEPLOY_TEST_POSTGRES is not set; run the suite through build.ps1 -Task Test.' }
    $parts = @{}
    foreach ($pair in $env:SKDEPLOY_TEST_POSTGRES -split ';' | Where-Object { $_ }) { $key, $value = $pair -split '=', 2; $parts[$key.Trim()] = $value.Trim() }
    [pscustomobject]@{ Host = $parts['Host']; Port = $parts['Port'] }
}

function Invoke-Psql {
    <# Runs one SQL statement with psql and returns its single value. #>
    param([Parameter(Mandatory)] $Database, [Parameter(Mandatory)] [string] $Sql)
    $server = Get-TestServer
    $value = & psql -h $server.Host -p $server.Port -U postgres -d $Database.Name -tAc $Sql
    if ($LASTEXITCODE -ne 0) { throw "psql failed: $Sql" }
    return "$value".Trim()
}

function New-TestDatabase {
    <# A fresh database on the test server, with its postgresql:// URL. #>
    $server = Get-TestServer
    $name = 'pester_' + [Guid]::NewGuid().ToString('N').Substring(0, 10)
    & psql -h $server.Host -p $server.Port -U postgres -d postgres -qc "CREATE DATABASE $name" | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "Could not create the database $name." }
    [pscustomobject]@{ Name = $name; Url = "postgresql://postgres@$($server.Host):$($server.Port)/$name" }
}

function Start-ChildPwsh {
    <# Starts a script in a fresh pwsh and returns the running process, for tests that stop it midway. #>
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
    $executable = [Environment]::ProcessPath
    $start = [Diagnostics.ProcessStartInfo]::new($executable)
    if ([IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') { $start.ArgumentList.Add([IO.Path]::Combine($PSHOME, 'pwsh.dll')) }
    foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $Script) { $start.ArgumentList.Add($argument) }
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = [string]$Environment[$name] }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    $null = $process.StandardOutput.BaseStream.CopyToAsync([IO.Stream]::Null)
    $null = $process.StandardError.BaseStream.CopyToAsync([IO.Stream]::Null)
    return $process
}

function New-TestCluster {
    <#
    Copies the sandbox's staging and production services into fresh namespaces (one each), writes a
    configuration whose environments point at them, waits until every deployment is ready, and
    returns the configuration's path and the namespaces. Each test gets a cluster of its own.
    #>
    param([int] $ProgressDeadlineSeconds = 600)
    $info = Get-SandboxInfo
    Remove-EarlierTestCluster
    $id = [Guid]::NewGuid().ToString('N').Substring(0, 8)
    $namespaces = @{ staging = "p-$id-stg"; production = "p-$id-prd" }
    $yaml = Get-Content -Raw $env:SKDEPLOY_SANDBOX_CONFIG
    foreach ($environment in $namespaces.Keys) {
        $body = @{ environment = $environment; namespace = $namespaces[$environment]; progressDeadlineSeconds = $ProgressDeadlineSeconds } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri "$($info.baseUrl)sandbox/kubernetes/environments" -Body $body -ContentType 'application/json' | Out-Null
        $yaml = $yaml -replace "(?m)^(\s+namespace: )$environment\s*$", "`${1}$($namespaces[$environment])"
        # The sandbox serves a copy's web app and health checks under its namespace.
        $yaml = $yaml -replace "/svc/$environment/", "/svc/$($namespaces[$environment])/"
    }
    $path = New-TestConfig -Yaml $yaml
    Wait-SkRollout -Environment staging -ConfigPath $path -Timeout 60s | Out-Null
    Wait-SkRollout -Environment production -ConfigPath $path -Timeout 60s -Confirm:$false | Out-Null
    # As with a real cluster's endpoints, the services serve from the new pods a moment after the rollout reports them.
    foreach ($environment in $namespaces.Keys) {
        if (-not (Test-SkHealth $environment -ConfigPath $path -Retry 100 -RetryIntervalSec 0.1 -Quiet 3>$null)) { throw "The services of $($namespaces[$environment]) did not become healthy." }
    }
    $global:SkdeployTestClusters.Namespaces.AddRange([string[]] $namespaces.Values)
    [pscustomobject]@{ ConfigPath = $path; Staging = $namespaces.staging; Production = $namespaces.production }
}

# The namespaces New-TestCluster made for the test file that runs now (a later file never uses them); global,
# because each file imports this module again.
if (-not (Get-Variable -Scope Global -Name SkdeployTestClusters -ErrorAction Ignore)) {
    $global:SkdeployTestClusters = [pscustomobject]@{ File = $null; Namespaces = [Collections.Generic.List[string]]::new() }
}

function Remove-EarlierTestCluster {
    <#
    Deletes the namespaces that earlier test files copied, once a new file asks for a cluster: the sandbox
    then reconciles, serves and Prometheus scrapes only the clusters of the file that runs, however long the suite.
    #>
    $file = (Get-PSCallStack | Where-Object ScriptName -Like '*.Tests.ps1' | Select-Object -First 1).ScriptName
    $clusters = $global:SkdeployTestClusters
    if ($file -eq $clusters.File) { return }
    $info = Get-SandboxInfo
    foreach ($namespace in $clusters.Namespaces) {
        Invoke-RestMethod -Method Delete -Uri "$($info.baseUrl)sandbox/kubernetes/environments/$namespace" | Out-Null
    }
    $clusters.Namespaces.Clear()
    $clusters.File = $file
}

function New-TestClusterWithDatabases {
    <#
    A test cluster whose staging and production have databases of their own (empty) and a copy of examples/prisma
    as their migrations, so that each test decides what is applied where.
    #>
    $cluster = New-TestCluster
    $prisma = Join-Path $TestDrive ([Guid]::NewGuid().ToString('N').Substring(0, 8))
    Copy-Item -Recurse (Join-Path $PSScriptRoot '..' '..' 'examples' 'prisma') $prisma
    $yaml = Get-Content -Raw $cluster.ConfigPath
    $databases = @{}
    foreach ($environment in 'STAGING', 'PRODUCTION') {
        $database = New-TestDatabase
        $variable = "SKDEPLOY_PESTER_DATABASE_$environment`_" + [Guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
        [Environment]::SetEnvironmentVariable($variable, $database.Url)
        $yaml = $yaml -replace "connectionStringEnv: SKDEPLOY_SANDBOX_$environment`_DATABASE_URL", "connectionStringEnv: $variable"
        $databases[$environment.ToLowerInvariant()] = $database
    }
    $yaml = $yaml -replace "migrations: '[^']*'", "migrations: '$(Join-Path $prisma 'migrations')'" -replace "rollbackScripts: '[^']*'", "rollbackScripts: '$(Join-Path $prisma 'rollback')'"
    [pscustomobject]@{ Cluster = $cluster; ConfigPath = (New-TestConfig -Yaml $yaml); Prisma = $prisma; Databases = $databases }
}

function Approve-TestRelease {
    <#
    Approves a version for production as the sandbox's approver (lead@skillancer.test, group eng-leads), with the
    approver's own kubeconfig: what production changes need before their first change.
    #>
    param([Parameter(Mandatory)] [string] $ConfigPath, [string] $Version = '1.2.3')
    Approve-SkDeployment production $Version -Kubeconfig (Get-SandboxInfo).kubeconfigs.approver -ConfigPath $ConfigPath | Out-Null
}

function Get-MutatingRequest {
    <#
    The requests that could change state (not GET, HEAD or OPTIONS) under a namespace's URLs. The writes of the
    deployment state (the lock's Lease, the journal's ConfigMaps, approvals' Secrets) are bookkeeping, not changes to
    the environment, and are left out unless -IncludeState.
    #>
    param([Parameter(Mandatory)] [string] $Namespace, [switch] $IncludeState)
    $all = Invoke-RestMethod -Uri "$((Get-SandboxInfo).baseUrl)sandbox/requests?mutating=true"
    $state = '/apis/coordination\.k8s\.io/v1/namespaces/[^/]+/leases|/api/v1/namespaces/[^/]+/(configmaps|secrets)'
    @($all | Where-Object { $_.path -match "/namespaces/$Namespace(/|$)" -and ($IncludeState -or $_.path -notmatch $state) })
}

function Invoke-Answering {
    <#
    Runs a command in a runspace on a host whose user answers from the script (choices, then lines): the cmdlet sees an
    interactive session. Returns the output, what was asked, the errors and the progress records the host was shown.
    #>
    param([int[]] $Choices = @(), [string[]] $Answers = @(), [Parameter(Mandatory)] [string] $Command)
    if (-not ('AnsweringHost' -as [type])) { Add-Type -Path (Join-Path $PSScriptRoot 'Support' 'AnsweringHost.cs') }
    $answering = [AnsweringHost]::new($Choices, $Answers)
    $runspace = [runspacefactory]::CreateRunspace($answering)
    $runspace.Open()
    try {
        $shell = [powershell]::Create()
        $shell.Runspace = $runspace
        $output = $shell.AddScript("Import-Module '$env:SKDEPLOY_MODULE_PATH'; $Command").Invoke()
        [pscustomobject]@{ Output = $output; Asked = @($answering.Asked); Errors = @($shell.Streams.Error); Progress = @($answering.Progress) }
    }
    finally { $runspace.Dispose() }
}

function Invoke-StopScript {
    <#
    Writes -Body into a script that starts with $ErrorActionPreference = 'Stop', runs it, and returns what it
    wrote (in order) and the error that stopped it. The script gets $ConfigPath.
    #>
    param([Parameter(Mandatory)] [string] $Body, [Parameter(Mandatory)] [string] $ConfigPath)
    $script = Join-Path ([IO.Path]::GetTempPath()) "composition-$([Guid]::NewGuid().ToString('N')).ps1"
    Set-Content -LiteralPath $script -Value "param(`$ConfigPath, `$Sink)`n`$ErrorActionPreference = 'Stop'`n$Body | ForEach-Object { `$Sink.Add(`$_) }"
    $sink = [Collections.Generic.List[object]]::new()
    $failure = $null
    try { & $script -ConfigPath $ConfigPath -Sink $sink 3>$null } catch { $failure = $_ } finally { Remove-Item -LiteralPath $script -ErrorAction Ignore }
    [pscustomobject]@{ Output = $sink.ToArray(); Error = $failure }
}

function Read-InHeadlessChromium {
    <#
    Loads a page in Debian's chromium, headless (build.ps1 installs it for the tests), as root does it: without its
    sandbox and its background services. Returns the DOM as the browser parsed it, each inline SVG chart in it (its
    label, the points it says it draws and the dots it holds), and the network requests the page made, from chromium's
    net log: a request is the page's when its network isolation key is the page's (file://); the browser's own
    (updates, accounts) are not. With -Screenshot, also writes a PNG of the page there.
    #>
    param([Parameter(Mandatory)] [string] $Path, [string] $Screenshot)
    $work = New-Item -ItemType Directory -Path ([IO.Path]::Combine([IO.Path]::GetTempPath(), "skdeploy-chromium-$([guid]::NewGuid())"))
    try {
        $netLog = Join-Path $work 'net.json'
        $common = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', "--user-data-dir=$(Join-Path $work 'profile')")
        $uri = [Uri]::new((Resolve-Path -LiteralPath $Path).ProviderPath).AbsoluteUri
        $dom = (& chromium @common "--log-net-log=$netLog" --dump-dom $uri 2>$null) -join "`n"
        if ($LASTEXITCODE -ne 0) { throw "chromium --dump-dom $uri failed with exit code $LASTEXITCODE." }
        if ($Screenshot) {
            & chromium @common '--window-size=1000,2400' '--hide-scrollbars' "--screenshot=$Screenshot" $uri 2>$null | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "chromium --screenshot failed with exit code $LASTEXITCODE." }
        }
        $log = Get-Content -Raw $netLog | ConvertFrom-Json
        $start = $log.constants.logEventTypes.URL_REQUEST_START_JOB
        $requests = @($log.events | Where-Object type -EQ $start | ForEach-Object { $_.params } |
            Where-Object { "$($_.PSObject.Properties['network_isolation_key']?.Value)" -like 'file://*' -and $_.url -notlike 'file:*' } |
            ForEach-Object url)
        $charts = @([regex]::Matches($dom, '(?s)<svg\b(?<attributes>[^>]*)>(?<body>.*?)</svg>') | ForEach-Object {
            $attributes = $_.Groups['attributes'].Value
            [pscustomobject]@{
                Label  = [Net.WebUtility]::HtmlDecode(([regex]::Match($attributes, 'aria-label="([^"]*)"')).Groups[1].Value)
                Points = [int]([regex]::Match($attributes, 'data-points="(\d+)"')).Groups[1].Value
                Dots   = [regex]::Matches($_.Groups['body'].Value, '<circle\b[^>]*class="point"').Count
            }
        })
        [pscustomobject]@{ Dom = $dom; Charts = $charts; Requests = $requests }
    }
    finally {
        Remove-Item -Recurse -Force $work -ErrorAction Ignore
    }
}

Export-ModuleMember -Function Wait-ErrorRateData, *
