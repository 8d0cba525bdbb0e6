# The module as a user installs and imports it: manifest, help, dependency isolation, packaging.

BeforeDiscovery {
    # The -ForEach cases below are built while Pester discovers the tests, before any BeforeAll.
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:CmdletCases = @((Get-Module Skillancer.Deploy).ExportedCmdlets.Keys | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Cmdlets = @((Get-Module Skillancer.Deploy).ExportedCmdlets.Values)
}

Describe 'The module manifest' {
    It 'is valid and targets PowerShell 7.4 on Core' {
        $manifest = Test-ModuleManifest -Path (Join-Path $env:SKDEPLOY_MODULE_PATH 'Skillancer.Deploy.psd1')
        $manifest.PowerShellVersion | Should -Be ([version]'7.4')
        $manifest.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'exports exactly the cmdlets that the assembly defines, all with approved verbs and the Sk prefix' {
        $Cmdlets.Count | Should -BeGreaterOrEqual 3
        $approved = (Get-Verb).Verb
        foreach ($cmdlet in $Cmdlets) {
            $approved | Should -Contain $cmdlet.Verb
            $cmdlet.Noun | Should -BeLike 'Sk*'
        }
    }

    It 'keeps the engine and every third-party assembly in Dependencies, away from the module root' {
        $root = @(Get-ChildItem $env:SKDEPLOY_MODULE_PATH -Filter *.dll | ForEach-Object Name)
        $root | Should -Be @('Skillancer.Deploy.dll')
        $dependencies = @(Get-ChildItem (Join-Path $env:SKDEPLOY_MODULE_PATH 'Dependencies') -Filter *.dll | ForEach-Object Name)
        $dependencies | Should -Contain 'Skillancer.Deploy.Engine.dll'
        $dependencies | Should -Contain 'YamlDotNet.dll'
        $dependencies | Should -Not -Contain 'System.Management.Automation.dll'
    }
}

Describe 'Help' {
    It '<Name> has a synopsis, a description, at least two examples and a description of every parameter' -ForEach $CmdletCases {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ('^' + [regex]::Escape($Name)) -Because 'a synopsis that repeats the syntax means the help is missing'
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        $common = [Management.Automation.PSCmdlet]::CommonParameters + [Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($parameter in (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $documented = $help.parameters.parameter | Where-Object name -eq $parameter
            $documented | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs help"
            ($documented.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs a description"
        }
    }

    It 'has an about_Skillancer.Deploy topic' {
        $about = Get-Help about_Skillancer.Deploy
        ($about | Out-String) | Should -Match 'runbook'
    }
}

Describe 'Dependency isolation' {
    It 'works when another module loaded a different YamlDotNet into the session first' {
        $config = New-TestConfig -Yaml "environments:`n  staging:`n    services:`n      - { name: web, tier: frontend }`n"
        $script = @'
$ErrorActionPreference = 'Stop'
Add-Type -Path $env:SKDEPLOY_FOREIGN_YAML
$foreign = [YamlDotNet.Serialization.DeserializerBuilder].Assembly.GetName().Version.ToString()
Import-Module $env:SKDEPLOY_MODULE_PATH
$environment = Get-SkEnvironment -ConfigPath $env:TEST_CONFIG
$parsedByForeign = ([YamlDotNet.Serialization.DeserializerBuilder]::new().Build()).Deserialize([string]'answer: 42')
[pscustomobject]@{
    Foreign     = $foreign
    Loaded      = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'YamlDotNet' } | ForEach-Object { $_.GetName().Version.ToString() } | Sort-Object)
    Environment = $environment.Name
    Services    = @($environment.Services.Name)
    Foreign42   = $parsedByForeign['answer']
} | ConvertTo-Json -Compress
'@
        $run = Invoke-ChildPwsh -Script $script -Environment @{
            SKDEPLOY_FOREIGN_YAML = $env:SKDEPLOY_FOREIGN_YAML; SKDEPLOY_MODULE_PATH = $env:SKDEPLOY_MODULE_PATH; TEST_CONFIG = $config }

        $run.ExitCode | Should -Be 0 -Because $run.Error
        $result = $run.Output | ConvertFrom-Json
        $result.Environment | Should -Be 'staging'
        $result.Services | Should -Be @('web')
        $result.Foreign42 | Should -Be '42'
        $result.Loaded.Count | Should -Be 2 -Because 'the foreign and our YamlDotNet live side by side'
        $result.Loaded | Should -Contain $result.Foreign
    }

    It 'leaves assemblies the runtime or PowerShell already ships to them: one System.Diagnostics.DiagnosticSource in the process' {
        Test-Path (Join-Path $env:SKDEPLOY_MODULE_PATH 'Dependencies' 'System.Diagnostics.DiagnosticSource.dll') | Should -BeTrue -Because 'the build ships it, which is what makes this test meaningful'
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module $env:SKDEPLOY_MODULE_PATH
# Npgsql and KubernetesClient both use DiagnosticSource (ActivitySource) when they run.
$null = Get-SkMigrationStatus staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
$null = Get-SkDeployment staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
@([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'System.Diagnostics.DiagnosticSource', 'Npgsql' } | ForEach-Object {
    [pscustomobject]@{ Name = $_.GetName().Name; Context = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name; Location = $_.Location }
}) | ConvertTo-Json -Compress -AsArray
'@
        $variables = @{ SKDEPLOY_MODULE_PATH = $env:SKDEPLOY_MODULE_PATH; SKDEPLOY_SANDBOX_CONFIG = $env:SKDEPLOY_SANDBOX_CONFIG }
        foreach ($variable in @((Get-SandboxInfo).environment.PSObject.Properties)) { $variables[$variable.Name] = $variable.Value }
        $run = Invoke-ChildPwsh -Script $script -Environment $variables

        $run.ExitCode | Should -Be 0 -Because $run.Error
        $loaded = @($run.Output | ConvertFrom-Json)
        $npgsql = @($loaded | Where-Object Name -eq 'Npgsql')
        $npgsql.Count | Should -Be 1
        $npgsql[0].Context | Should -Be 'Skillancer.Deploy' -Because 'our own dependencies still load privately'
        $diagnostics = @($loaded | Where-Object Name -eq 'System.Diagnostics.DiagnosticSource')
        $diagnostics.Count | Should -Be 1
        $diagnostics[0].Context | Should -Be 'Default'
        $diagnostics[0].Location | Should -Not -BeLike '*Dependencies*'
    }
}

Describe 'Packaging' {
    It 'installs as the README''s "Install it as a user" says, and a new pwsh imports it by name with every cmdlet of the manifest' {
        $package = Get-ChildItem $env:SKDEPLOY_PACKAGES -Filter 'Skillancer.Deploy.*.nupkg'
        $package | Should -HaveCount 1 -Because 'build.ps1 -Task Package (run by the Test task) wrote it'
        # A home of its own, so the install touches nothing of the user's. The folders must exist:
        # .NET reports a missing LocalApplicationData folder as '' and PSResourceGet then writes to the current folder.
        $home_ = Join-Path $TestDrive 'home'
        $data = Join-Path $home_ '.local' 'share'
        New-Item -ItemType Directory -Path $data, (Join-Path $home_ '.config'), (Join-Path $home_ '.cache') | Out-Null
        $isolated = @{
            HOME = $home_; XDG_DATA_HOME = $data; XDG_CONFIG_HOME = (Join-Path $home_ '.config')
            XDG_CACHE_HOME = (Join-Path $home_ '.cache'); PSModulePath = ''; SKDEPLOY_PACKAGES = $env:SKDEPLOY_PACKAGES
            TEST_CONFIG = (New-TestConfig -Yaml "environments:`n  production:`n    services: []`n")
        }
        # The README's steps, word for word (the folder is the one the Package task wrote).
        $install = @'
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Register-PSResourceRepository -Name SkLocal -Uri $env:SKDEPLOY_PACKAGES -Trusted
Install-PSResource Skillancer.Deploy -Repository SkLocal
'@
        $use = @'
$ErrorActionPreference = 'Stop'
Import-Module Skillancer.Deploy
[pscustomobject]@{
    Commands    = @(Get-Command -Module Skillancer.Deploy | ForEach-Object Name | Sort-Object)
    Installed   = (Get-InstalledPSResource -Name Skillancer.Deploy).Version.ToString()
    ModuleBase  = (Get-Module Skillancer.Deploy).ModuleBase
    Environment = (Get-SkEnvironment -ConfigPath $env:TEST_CONFIG).Name
} | ConvertTo-Json -Compress
'@
        $installed = Invoke-ChildPwsh -Script $install -Environment $isolated
        $installed.ExitCode | Should -Be 0 -Because $installed.Error
        $run = Invoke-ChildPwsh -Script $use -Environment $isolated

        $run.ExitCode | Should -Be 0 -Because $run.Error
        $result = $run.Output | ConvertFrom-Json
        $manifest = Import-PowerShellDataFile (Join-Path $env:SKDEPLOY_MODULE_PATH 'Skillancer.Deploy.psd1')
        $result.Commands | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        $result.Installed | Should -Be $manifest.ModuleVersion
        $result.ModuleBase | Should -BeLike "$home_*"
        $result.Environment | Should -Be 'production'
    }
}
