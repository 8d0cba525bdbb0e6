# The git configuration the test runs see: their repositories' own and nothing of the machine's.
# A clean machine (CI) has no global identity, credential helper or default of any kind, so no test
# may rely on one; hiding the global and system files makes every run, on every machine, meet git
# as CI does. The user's own files are never read or written.
Set-StrictMode -Version 3

function Get-IsolatedGitEnvironment {
    <#
    The environment variables that hide the global and system git configuration from a child
    process: an empty file of the build's own (in $Directory) stands in for the global one.
    #>
    [OutputType([hashtable])]
    param([Parameter(Mandatory)] [string] $Directory)
    New-Item -ItemType Directory -Path $Directory -Force | Out-Null
    $globalConfig = [IO.Path]::Combine($Directory, 'gitconfig')
    [IO.File]::WriteAllText($globalConfig, '')
    return @{ GIT_CONFIG_GLOBAL = $globalConfig; GIT_CONFIG_NOSYSTEM = '1' }
}

Export-ModuleMember -Function Get-IsolatedGitEnvironment
