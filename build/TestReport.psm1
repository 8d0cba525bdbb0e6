# Counts passed, failed and skipped test cases across every JUnit XML file of a run.
Set-StrictMode -Version 3

function Get-JUnitTotals {
    [OutputType([pscustomobject])]
    param([Parameter(Mandatory)] [string] $Directory)
    $totals = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0; Files = 0; Unreadable = @() }
    foreach ($file in Get-ChildItem -Path $Directory -Filter *.xml -ErrorAction Ignore) {
        $totals.Files++
        try { $xml = [xml](Get-Content -Raw -LiteralPath $file.FullName) }
        catch { $totals.Unreadable += $file.Name; continue }
        foreach ($case in $xml.SelectNodes('//testcase')) {
            if ($case.SelectSingleNode('failure|error')) { $totals.Failed++ }
            elseif ($case.SelectSingleNode('skipped')) { $totals.Skipped++ }
            else { $totals.Passed++ }
        }
    }
    return $totals
}

Export-ModuleMember -Function Get-JUnitTotals
