# Help as a user reads it (types, defaults, positions), and the help build that keeps parameter
# text in one place: the C# XML doc comments.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:EnvironmentCases = @((Get-Module Skillancer.Deploy).ExportedCmdlets.Values |
            Where-Object { $_.Parameters.ContainsKey('Environment') } | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Cmdlets = @((Get-Module Skillancer.Deploy).ExportedCmdlets.Values)
    $script:Common = [Management.Automation.PSCmdlet]::CommonParameters + [Management.Automation.PSCmdlet]::OptionalCommonParameters

    function Invoke-HelpBuild {
        <# Runs build/Build-Help.ps1 on the built module with the given pages and documentation file. #>
        param([string] $DocsPath, [string] $DocumentationFile)
        $repository = Split-Path (Split-Path $PSScriptRoot)
        $script = "& '$(Join-Path $repository 'build' 'Build-Help.ps1')' -ModulePath '$env:SKDEPLOY_MODULE_PATH' -DocsPath '$DocsPath' " +
            "-OutFile '$(Join-Path $TestDrive 'help' 'out.xml')' -DocumentationFile '$DocumentationFile'; exit `$LASTEXITCODE"
        return Invoke-ChildPwsh -Script $script
    }

    # The build's copy of the compiler's documentation file, and of the pages.
    $script:DocumentationFile = Join-Path (Split-Path $env:SKDEPLOY_MODULE_PATH) 'obj' 'publish' 'Skillancer.Deploy.xml'
    $script:Pages = Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'docs' 'cmdlets'
}

Describe 'Parameter help' {
    It 'names value types plainly: no <Nullable`1> anywhere in the help' {
        foreach ($cmdlet in $Cmdlets) {
            $text = Get-Help $cmdlet.Name -Full | Out-String -Width 200
            $text | Should -Not -Match 'Nullable``1|System.Nullable' -Because "$($cmdlet.Name)'s syntax and parameters should say TimeSpan, not Nullable``1"
        }
        (Get-Help Start-SkRollout -Parameter Timeout).type.name | Should -Be 'System.TimeSpan'
    }

    It 'keeps each default value whole, up to the end of its sentence' {
        $checked = 0
        foreach ($cmdlet in $Cmdlets) {
            foreach ($parameter in (Get-Help $cmdlet.Name -Full).parameters.parameter) {
                if ($parameter.defaultValue -in $null, '', 'None') { continue }
                $description = ($parameter.description.Text -join ' ')
                $pattern = [regex]::Escape($parameter.defaultValue) + '[.;](\s|$)'
                $description | Should -Match $pattern -Because "-$($parameter.name) of $($cmdlet.Name) has the default '$($parameter.defaultValue)', which must end where its sentence ends"
                $checked++
            }
        }
        $checked | Should -BeGreaterThan 10
        (Get-Help Start-SkRollout -Parameter Timeout).defaultValue | Should -Be "the environment's kubernetes.rolloutTimeout, else 10m"
    }
}

Describe 'Positional -Environment' {
    It '<Name> takes -Environment at position 0 in every parameter set that has it' -ForEach $EnvironmentCases {
        # A set that takes the object itself instead (Export-SkDeploymentReport -InputObject) has no -Environment.
        $sets = @((Get-Command $Name).ParameterSets | Where-Object { $_.Parameters.Name -contains 'Environment' })
        $sets | Should -Not -BeNullOrEmpty
        foreach ($set in $sets) {
            ($set.Parameters | Where-Object Name -eq 'Environment').Position | Should -Be 0 -Because "$Name's set $($set.Name)"
        }
    }

    It 'Test-SkDeploymentWindow production answers for production' {
        $result = Test-SkDeploymentWindow production -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG
        $result.Environment | Should -Be 'production'
    }

    It 'Get-SkMigrationStatus staging reads staging''s database and folder' {
        $status = @(Get-SkMigrationStatus staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG)
        $status.Count | Should -BeGreaterThan 0
        $status[0].Name | Should -Not -BeNullOrEmpty
    }

    It 'takes the environment from the pipeline as a plain string: ''staging'' | Test-SkHealth' {
        $results = @('staging' | Test-SkHealth -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG)
        $results.Count | Should -BeGreaterThan 0
        $results.Environment | Select-Object -Unique | Should -Be 'staging'
    }
}

Describe 'The help build' {
    It 'fails when a page describes a parameter too, and the two sources disagree' {
        $docs = Join-Path $TestDrive 'disagree'
        Copy-Item $Pages $docs -Recurse
        $page = Join-Path $docs 'Start-SkRollout.md'
        $text = (Get-Content -Raw $page) -replace '## INPUTS', "## PARAMETERS`n`n### -NoWait`nWaits for every tier.`n`n## INPUTS"
        Set-Content -LiteralPath $page -Value $text
        $run = Invoke-HelpBuild -DocsPath $docs -DocumentationFile $DocumentationFile
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match 'Start-SkRollout: .*describes -NoWait, which disagrees with'
        $run.Output | Should -Match 'one source, the XML doc comment'
    }

    It 'fails when a parameter has no text in its XML doc comment' {
        $xml = [xml](Get-Content -Raw $DocumentationFile)
        $member = $xml.SelectSingleNode('/doc/members/member[@name="P:Skillancer.Deploy.Kubernetes.StartSkRolloutCommand.NoWait"]')
        $member | Should -Not -BeNullOrEmpty
        $null = $member.ParentNode.RemoveChild($member)
        $doctored = Join-Path $TestDrive 'doctored.xml'
        $xml.Save($doctored)
        $run = Invoke-HelpBuild -DocsPath $Pages -DocumentationFile $doctored
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match 'Start-SkRollout: parameter -NoWait has no <para type="description"> in the XML doc comment of Skillancer.Deploy.Kubernetes.StartSkRolloutCommand.NoWait'
    }

    It 'succeeds on the repository''s own pages and comments' {
        $run = Invoke-HelpBuild -DocsPath $Pages -DocumentationFile $DocumentationFile
        $run.ExitCode | Should -Be 0 -Because $run.Output
    }
}
