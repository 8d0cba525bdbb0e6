# Shared helpers of the Pester suite. The suite runs against the BUILT module in out/, whose path
# build.ps1 passes in $env:SKDEPLOY_MODULE_PATH, and against the sandbox it started.
Set-StrictMode -Version 3

function Import-SkModule {
    if (-not $env:SKDEPLOY_MODULE_PATH) { throw 'SKDEPLOY_MODULE_PATH is not set; run the suite through build.ps1 -Task Test.' }
    Import-Module $env:SKDEPLOY_MODULE_PATH -Force -Global -ErrorAction Stop
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

Export-ModuleMember -Function *
