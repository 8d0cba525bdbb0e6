@{
    RootModule           = 'Skillancer.Deploy.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '6f0d5a53-2b1e-4c55-9a55-3c8e1f4b2d71'
    Author               = 'Skillancer'
    CompanyName          = 'Skillancer'
    Copyright            = '(c) Skillancer. All rights reserved.'
    Description          = "Skillancer's deployment runbook as PowerShell cmdlets: releases, migrations, rollouts, canaries, verification, edge services and the deployment schedule. Safe by default: -WhatIf and -Confirm everywhere, secrets never shown."
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('Skillancer.Deploy.Format.ps1xml')
    CmdletsToExport      = @(
        'Get-SkEnvironment'
        'New-SkConfiguration'
        'Test-SkDeploymentWindow'
        'Test-SkHealth'
        'Watch-SkErrorRate'
        'Compare-SkDeploymentMetric'
        'Invoke-SkSmokeTest'
        'Set-SkFeatureFlag'
        'Get-SkFeatureFlag'
        'New-SkDeploymentNotice'
        'Send-SkNotification'
        'Clear-SkCdnCache'
        'Get-SkCdnInvalidation'
        'Publish-SkFrontend'
        'New-SkRelease'
        'Get-SkRelease'
        'Update-SkChangelog'
        'Get-SkMigrationStatus'
        'Invoke-SkMigration'
        'Set-SkMigrationState'
        'Undo-SkMigration'
        'Test-SkMigrationSafety'
        'Get-SkDatabaseSchema'
        'Get-SkDeployment'
        'Start-SkRollout'
        'Wait-SkRollout'
        'Undo-SkDeployment'
        'Get-SkDeploymentHistory'
        'Start-SkCanary'
        'Set-SkCanaryWeight'
        'Complete-SkCanary'
        'Stop-SkCanary'
        'Get-SkDeploymentLog'
        'Export-SkDeploymentReport'
        'Unlock-SkEnvironment'
        'Approve-SkDeployment'
        'Get-SkApproval'
        'Revoke-SkApproval'
        'Test-SkPreflight'
        'Invoke-SkDeployment'
        'Invoke-SkCanary'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('deployment', 'kubernetes', 'runbook', 'devops', 'PSEdition_Core', 'Windows', 'Linux')
            ProjectUri = 'https://github.com/skillancer/skillancer-deploy'
        }
    }
}
