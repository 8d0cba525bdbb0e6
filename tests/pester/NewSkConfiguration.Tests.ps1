# New-SkConfiguration: the starter skdeploy.yml a newcomer begins with, from the runbook or from the
# sandbox's cluster, and the errors that point a user without a configuration at it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:Command = 'Skillancer.Deploy.Configuration.NewSkConfigurationCommand'
    $script:ShippedExample = Join-Path $env:SKDEPLOY_MODULE_PATH 'examples' 'skdeploy.yml'

    function New-Folder {
        $folder = Join-Path $TestDrive ([Guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $folder | Out-Null
        return $folder
    }
}

Describe 'New-SkConfiguration' {
    It 'writes the runbook''s starter, which Get-SkEnvironment loads without an error or a warning' {
        $folder = New-Folder
        Push-Location $folder
        try { $written = New-SkConfiguration } finally { Pop-Location }

        $written.ConfigPath | Should -Be (Join-Path $folder 'skdeploy.yml')
        $written.Environment | Should -Be @('staging', 'production')
        $environments = Get-SkEnvironment -ConfigPath $written.ConfigPath -WarningVariable warnings -ErrorVariable failures
        @($warnings).Count | Should -Be 0
        @($failures).Count | Should -Be 0
        $environments.Name | Should -Be @('staging', 'production')
        foreach ($environment in $environments) {
            $environment.Services.Name | Should -Be @('auth-svc', 'market-svc', 'skillpod-svc', 'api-gateway', 'web')
        }
        (Get-Content -Raw $written.ConfigPath) | Should -Match '(?m)^#\s+\$env:STAGING_DATABASE_URL = '
    }

    It 'pipes into Get-SkEnvironment, which loads the file it wrote' {
        $folder = New-Folder
        $loaded = New-SkConfiguration staging, qa -Path $folder | Get-SkEnvironment
        $loaded.Name | Should -Be @('staging', 'qa')
        $loaded[0].ConfigPath | Should -Be (Join-Path $folder 'skdeploy.yml')
    }

    It 'proposes the services of the sandbox''s cluster, and the result loads and reaches every deployment' {
        $cluster = New-TestCluster
        $folder = New-Folder
        $written = New-SkConfiguration -FromCluster -Path $folder -Kubeconfig (Get-SandboxInfo).kubeconfig `
            -Namespace @{ staging = $cluster.Staging; production = $cluster.Production }

        $written.Source | Should -Be 'context sandbox'
        $staging = Get-SkEnvironment staging -ConfigPath $written.ConfigPath -WarningVariable warnings -ErrorVariable failures
        @($warnings).Count | Should -Be 0
        @($failures).Count | Should -Be 0
        $staging.Kubernetes.Namespace | Should -Be $cluster.Staging
        $staging.Registry | Should -Be 'skillancer'
        $expected = (Get-SkEnvironment staging -ConfigPath $cluster.ConfigPath).Services
        ($staging.Services | ForEach-Object { "$($_.Name) $($_.Tier) $($_.Container) $($_.Image)" }) |
            Should -Be ($expected | ForEach-Object { "$($_.Name) $($_.Tier) $($_.Container) $($_.Image)" })
        (Get-Content -Raw $written.ConfigPath) | Should -Match 'tier: frontend\s+# check: from the label tier=frontend'
        $deployments = Get-SkDeployment staging -ConfigPath $written.ConfigPath
        $deployments.Service | Should -Be $expected.Name
        $deployments.Status | Sort-Object -Unique | Should -Be 'Complete'
    }

    It 'shows the file it wrote at 80 columns, grouped by folder' {
        $folder = New-Folder
        $text = New-SkConfiguration -Path $folder | Format-Table | Out-String -Width 80
        $text | Should -Match ([regex]::Escape("Folder: $folder"))
        $text | Should -Match 'File\s+Environments\s+Services\s+Checks\s+Source'
        $text | Should -Match 'skdeploy\.yml\s+staging, production\s+5\s+\d+\s+runbook'
    }
}

Describe 'New-SkConfiguration -WhatIf' {
    It 'writes nothing, not even the folder' {
        $folder = Join-Path (New-Folder) 'deploy'
        $result = New-SkConfiguration -Path (Join-Path $folder 'skdeploy.yml') -WhatIf
        $result | Should -BeNullOrEmpty
        Test-Path $folder | Should -BeFalse
    }
}

Describe 'New-SkConfiguration bad input' {
    It 'an existing file is FileExists, says to use -Force or another -Path, and is kept' {
        $path = Join-Path (New-Folder) 'skdeploy.yml'
        Set-Content -LiteralPath $path -Value 'mine' -NoNewline
        Get-FullyQualifiedErrorId { New-SkConfiguration -Path $path } | Should -Be "FileExists,$Command"
        try { New-SkConfiguration -Path $path } catch { $failure = $_ }
        "$failure" | Should -Match '-Force.*another -Path'
        Get-Content -Raw $path | Should -Be 'mine'
        (New-SkConfiguration -Path $path -Force).ConfigPath | Should -Be $path
    }

    It 'a path given where the environment goes is InvalidEnvironmentName and says to use -Path' {
        $folder = New-Folder
        Get-FullyQualifiedErrorId { New-SkConfiguration (Join-Path $folder 'skdeploy.yml') } | Should -Be "InvalidEnvironmentName,$Command"
        try { New-SkConfiguration (Join-Path $folder 'skdeploy.yml') } catch { $failure = $_ }
        "$failure" | Should -Match 'name the file with -Path'
        @(Get-ChildItem $folder).Count | Should -Be 0
    }

    It 'a namespace the cluster does not have is NamespaceNotFound, and nothing is written' {
        $folder = New-Folder
        Get-FullyQualifiedErrorId {
            New-SkConfiguration staging -FromCluster -Path $folder -Kubeconfig (Get-SandboxInfo).kubeconfig -Namespace @{ staging = 'no-such-namespace' }
        } | Should -Be "NamespaceNotFound,$Command"
        @(Get-ChildItem $folder).Count | Should -Be 0
    }
}

Describe 'A user without a configuration is pointed at New-SkConfiguration and the shipped example' {
    It 'ships examples/skdeploy.yml in the module folder and in the package' {
        Test-Path $ShippedExample | Should -BeTrue
        $package = Get-ChildItem $env:SKDEPLOY_PACKAGES -Filter 'Skillancer.Deploy.*.nupkg' | Select-Object -First 1
        $zip = [IO.Compression.ZipFile]::OpenRead($package.FullName)
        try { $zip.Entries.FullName | Should -Contain 'examples/skdeploy.yml' } finally { $zip.Dispose() }
    }

    It 'ConfigNotFound names New-SkConfiguration and the shipped example' {
        $folder = New-Folder
        $saved = $env:SKDEPLOY_CONFIG
        $env:SKDEPLOY_CONFIG = $null
        Push-Location $folder
        try {
            Get-FullyQualifiedErrorId { Get-SkEnvironment } | Should -Be 'ConfigNotFound,Skillancer.Deploy.Configuration.GetSkEnvironmentCommand'
            $null = Get-SkEnvironment -ErrorVariable failure -ErrorAction SilentlyContinue
        }
        finally { Pop-Location; $env:SKDEPLOY_CONFIG = $saved }
        "$failure" | Should -Match 'Write a starter one with New-SkConfiguration'
        "$failure" | Should -Match ([regex]::Escape("The module ships an example: '$((Resolve-Path $ShippedExample).Path)'"))
    }

    It 'an empty file is ConfigInvalid and says to write a starter into it with New-SkConfiguration -Force' {
        $path = Join-Path (New-Folder) 'skdeploy.yml'
        Set-Content -LiteralPath $path -Value "# to do`n"
        Get-FullyQualifiedErrorId { Get-SkEnvironment -ConfigPath $path } | Should -Be 'ConfigInvalid,Skillancer.Deploy.Configuration.GetSkEnvironmentCommand'
        $null = Get-SkEnvironment -ConfigPath $path -ErrorVariable failure -ErrorAction SilentlyContinue
        "$failure" | Should -Match ([regex]::Escape("New-SkConfiguration -Path '$path' -Force"))
        "$failure" | Should -Match ([regex]::Escape("The module ships an example: '$((Resolve-Path $ShippedExample).Path)'"))
        (New-SkConfiguration -Path $path -Force | Get-SkEnvironment).Name | Should -Be @('staging', 'production')
    }
}
