# Timing helpers for the side-by-side benchmarks. Medians, never single runs.
Set-StrictMode -Version 3

function Measure-Median {
    <# Runs a script block -Runs times and returns the median in milliseconds. #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [int] $Runs = 5)
    $times = foreach ($i in 1..$Runs) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        & $ScriptBlock | Out-Null
        $watch.Stop()
        $watch.Elapsed.TotalMilliseconds
    }
    $sorted = @($times | Sort-Object)
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$middle] }
    return ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

function Get-PwshCommandLine {
    $executable = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') { return @($executable, [IO.Path]::Combine($PSHOME, 'pwsh.dll')) }
    return @($executable)
}

function Write-BenchResult {
    param([string] $Name, [double] $OursMs, [string] $ReferenceName, [double] $ReferenceMs, [string] $Goal)
    Write-Host ('{0,-44} {1,10:N0} ms' -f $Name, $OursMs)
    Write-Host ('{0,-44} {1,10:N0} ms' -f $ReferenceName, $ReferenceMs)
    Write-Host ('{0,-44} {1,10:N2}x' -f 'ratio (reference / ours)', ($ReferenceMs / [Math]::Max($OursMs, 0.001)))
    if ($Goal) { Write-Host "goal: $Goal" }
}

Export-ModuleMember -Function Measure-Median, Get-PwshCommandLine, Write-BenchResult
