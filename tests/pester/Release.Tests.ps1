# New-SkRelease, Get-SkRelease and Update-SkChangelog against real git repositories with a bare origin.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
    $script:NewCommand = 'Skillancer.Deploy.Release.NewSkReleaseCommand'
}

Describe 'New-SkRelease' {
    It 'creates, commits and pushes release/v1.2.3 and emits the release' {
        $git = New-GitWorkspace -Version '1.2.2'
        $release = New-SkRelease -Version 1.2.3 -Path $git.Clone
        $release.Version | Should -Be '1.2.3'
        $release.Tag | Should -Be 'v1.2.3'
        $release.Branch | Should -Be 'release/v1.2.3'
        $release.PreviousVersion | Should -Be '1.2.2'
        $release.Pushed | Should -BeTrue
        $release.ChangedFiles | Should -Be @('package.json')
        git -C $git.Origin rev-parse refs/heads/release/v1.2.3 | Should -Be $release.Commit
        git -C $git.Clone log -1 --format=%s | Should -Be 'chore(release): v1.2.3'
    }

    It 'runs from the current location and takes the version from the pipeline' {
        $git = New-GitWorkspace -Version '2.0.0'
        Push-Location $git.Clone
        try { $release = [pscustomobject]@{ Version = 'v2.1.0' } | New-SkRelease -NoPush }
        finally { Pop-Location }
        $release.Version | Should -Be '2.1.0'
        $release.Pushed | Should -BeFalse
    }

    It 'bumps from package.json with -Bump' {
        $git = New-GitWorkspace -Version '1.9.3'
        (New-SkRelease -Bump Minor -Path $git.Clone -NoPush).Version | Should -Be '1.10.0'
    }

    It '-WhatIf lists every step and leaves the repository and the remote byte-for-byte untouched' {
        $git = New-GitWorkspace -Version '1.2.2'
        $before = Get-TreeHash -Path $git.Clone, $git.Origin
        # What-if lines go straight to the host, so the command runs in a child pwsh whose output is read.
        $run = Invoke-ChildPwsh -Script 'Import-Module $env:SKDEPLOY_MODULE_PATH; New-SkRelease -Version 1.2.3 -Path $env:REPO -WhatIf' -Environment @{
            SKDEPLOY_MODULE_PATH = $env:SKDEPLOY_MODULE_PATH; REPO = $git.Clone }
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $output = $run.Output
        $after = Get-TreeHash -Path $git.Clone, $git.Origin
        $after | Should -Be $before
        $output | Should -Match 'What if: Performing the operation "Create branch release/v1.2.3"'
        $output | Should -Match 'What if: Performing the operation "Push release/v1.2.3 to origin and set its upstream"'
    }

    It 'shows each git command with -Verbose' {
        $git = New-GitWorkspace -Version '1.2.2'
        $verbose = New-SkRelease -Version 1.2.3 -Path $git.Clone -NoPush -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        $verbose.Message | Should -Contain 'git checkout -b release/v1.2.3'
        $verbose.Message | Should -Contain "git commit --quiet --allow-empty -m 'chore(release): v1.2.3'"
    }

    It 'shows the release as a table' {
        $git = New-GitWorkspace -Version '1.2.2'
        $text = New-SkRelease -Version 1.2.3 -Path $git.Clone -NoPush | Out-String -Width 200
        $text | Should -Match 'release/v1\.2\.3\s+1\.2\.2\s+[0-9a-f]{7}\s+False\s+package\.json'
    }
}

Describe 'New-SkRelease bad input' {
    It 'an invalid version is InvalidVersion and changes nothing' {
        $git = New-GitWorkspace
        $before = Get-TreeHash -Path $git.Clone, $git.Origin
        Get-FullyQualifiedErrorId { New-SkRelease -Version 'latest' -Path $git.Clone } | Should -Be "InvalidVersion,$NewCommand"
        Get-TreeHash -Path $git.Clone, $git.Origin | Should -Be $before
    }

    It 'a folder outside git is NotAGitRepository' {
        Get-FullyQualifiedErrorId { New-SkRelease -Version 1.0.0 -Path $TestDrive } | Should -Be "NotAGitRepository,$NewCommand"
    }

    It 'a dirty working tree is WorkingTreeDirty and says how to proceed' {
        $git = New-GitWorkspace
        Set-Content -Path (Join-Path $git.Clone 'package.json') -Value '{}'
        Get-FullyQualifiedErrorId { New-SkRelease -Version 9.0.0 -Path $git.Clone } | Should -Be "WorkingTreeDirty,$NewCommand"
        try { New-SkRelease -Version 9.0.0 -Path $git.Clone -ErrorAction Stop } catch { $_.Exception.Message | Should -Match 'git stash' }
    }

    It 'a version that is not greater is VersionNotGreater' {
        $git = New-GitWorkspace -Version '1.2.2'
        Get-FullyQualifiedErrorId { New-SkRelease -Version 1.2.2 -Path $git.Clone } | Should -Be "VersionNotGreater,$NewCommand"
    }

    It 'an existing release branch is ReleaseBranchExists' {
        $git = New-GitWorkspace -Version '1.2.2'
        git -C $git.Clone branch release/v1.2.3
        Get-FullyQualifiedErrorId { New-SkRelease -Version 1.2.3 -Path $git.Clone } | Should -Be "ReleaseBranchExists,$NewCommand"
    }

    It 'an unknown -Bump is refused by PowerShell before anything runs' {
        { New-SkRelease -Bump Huge -Path $TestDrive -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Skillancer.Deploy.Release.NewSkReleaseCommand'
    }
}

Describe 'Get-SkRelease' {
    It 'lists release branches newest first, and where they exist' {
        $git = New-GitWorkspace -Version '1.0.0'
        $null = New-SkRelease -Version 1.1.0 -Path $git.Clone
        git -C $git.Clone checkout --quiet master
        $null = New-SkRelease -Version 1.10.0 -Path $git.Clone -NoPush
        $releases = Get-SkRelease -Path $git.Clone
        $releases.Version | Should -Be @('1.10.0', '1.1.0')
        $releases[0].Local | Should -BeTrue
        $releases[0].Remote | Should -BeFalse
        $releases[1].InSync | Should -BeTrue
        ($releases | Out-String -Width 200) | Should -Match 'local only'
    }

    It 'outside git is NotAGitRepository' {
        Get-FullyQualifiedErrorId { Get-SkRelease -Path $TestDrive } | Should -Be 'NotAGitRepository,Skillancer.Deploy.Release.GetSkReleaseCommand'
    }
}

Describe 'Update-SkChangelog' {
    It 'writes the section for a release piped from New-SkRelease' {
        $git = New-GitWorkspace -Version '1.2.2'
        git -C $git.Clone commit --quiet --allow-empty -m 'feat(jobs): search by skill'
        git -C $git.Clone commit --quiet --allow-empty -m 'fix: login loop'
        git -C $git.Clone push --quiet origin master 2>$null
        $section = New-SkRelease -Version 1.2.3 -Path $git.Clone | Update-SkChangelog -Date '2026-12-01'
        $section.Version | Should -Be '1.2.3'
        $section.Written | Should -BeTrue
        $section.Added.Count | Should -Be 1
        $section.Fixed.Count | Should -Be 1
        $text = Get-Content -Raw (Join-Path $git.Clone 'CHANGELOG.md')
        $text | Should -Match '## \[1\.2\.3\] - 2026-12-01'
        $text | Should -Match '- \*\*jobs:\*\* search by skill \([0-9a-f]{7}\)'
    }

    It '-WhatIf writes nothing' {
        $git = New-GitWorkspace -Version '1.0.0'
        $run = Invoke-ChildPwsh -Script 'Import-Module $env:SKDEPLOY_MODULE_PATH; Update-SkChangelog -Path $env:REPO -WhatIf' -Environment @{
            SKDEPLOY_MODULE_PATH = $env:SKDEPLOY_MODULE_PATH; REPO = $git.Clone }
        $out = $run.Output
        $out | Should -Match 'What if: .*Add the section for 1\.0\.0'
        Join-Path $git.Clone 'CHANGELOG.md' | Should -Not -Exist
    }

    It '-Commit -Push commits CHANGELOG.md alone and pushes the branch; a rerun changes nothing' {
        $git = New-GitWorkspace -Version '1.2.2'
        git -C $git.Clone commit --quiet --allow-empty -m 'feat(jobs): search by skill'
        git -C $git.Clone push --quiet origin master 2>$null
        $release = New-SkRelease -Version 1.2.3 -Path $git.Clone
        Set-Content -LiteralPath (Join-Path $git.Clone 'scratch.txt') -Value 'not for any commit'
        $section = $release | Update-SkChangelog -Commit -Push -Date '2026-12-01'
        $section.Commit | Should -Be (git -C $git.Clone rev-parse HEAD)
        $section.Pushed | Should -BeTrue
        git -C $git.Clone log -1 --format=%s | Should -Be 'docs(changelog): v1.2.3'
        git -C $git.Clone show --name-only --format= HEAD | Should -Be 'CHANGELOG.md'
        git -C $git.Origin rev-parse refs/heads/release/v1.2.3 | Should -Be $section.Commit
        git -C $git.Clone status --porcelain | Should -Be '?? scratch.txt'
        $before = Get-TreeHash -Path $git.Clone, $git.Origin
        $again = $release | Update-SkChangelog -Commit -Push -Date '2026-12-01'
        $again.Written | Should -BeFalse
        $again.Commit | Should -Be $section.Commit
        $again.Pushed | Should -BeTrue
        Get-TreeHash -Path $git.Clone, $git.Origin | Should -Be $before
    }

    It '-Commit -Push -WhatIf describes each step and leaves the repository and its origin byte-for-byte identical' {
        $git = New-GitWorkspace -Version '1.2.2'
        git -C $git.Clone commit --quiet --allow-empty -m 'fix: login loop'
        git -C $git.Clone checkout --quiet -b release/v1.2.3
        $before = Get-TreeHash -Path $git.Clone, $git.Origin
        $run = Invoke-ChildPwsh -Script 'Import-Module $env:SKDEPLOY_MODULE_PATH; Update-SkChangelog 1.2.3 -Path $env:REPO -Commit -Push -WhatIf' -Environment @{
            SKDEPLOY_MODULE_PATH = $env:SKDEPLOY_MODULE_PATH; REPO = $git.Clone }
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $run.Output | Should -Match 'What if: .*Add the section for 1\.2\.3'
        $run.Output | Should -Match 'What if: Performing the operation "Commit CHANGELOG\.md alone as "docs\(changelog\): v1\.2\.3""'
        $run.Output | Should -Match 'What if: Performing the operation "Push release/v1\.2\.3 to origin and set its upstream"'
        Get-TreeHash -Path $git.Clone, $git.Origin | Should -Be $before
    }

    It '-Commit with other changes staged is OtherChangesStaged and writes nothing' {
        $git = New-GitWorkspace -Version '1.0.0'
        Set-Content -LiteralPath (Join-Path $git.Clone 'app.js') -Value 'unrelated'
        git -C $git.Clone add app.js
        $before = Get-TreeHash -Path $git.Clone, $git.Origin
        Get-FullyQualifiedErrorId { Update-SkChangelog -Path $git.Clone -Commit } | Should -Be 'OtherChangesStaged,Skillancer.Deploy.Release.UpdateSkChangelogCommand'
        { Update-SkChangelog -Path $git.Clone -Commit -ErrorAction Stop } | Should -Throw -ExpectedMessage '*(A app.js), and -Commit commits CHANGELOG.md alone. Commit those changes first*'
        Get-TreeHash -Path $git.Clone, $git.Origin | Should -Be $before
    }

    It 'a different section for the same version is ChangelogSectionExists' {
        $git = New-GitWorkspace -Version '1.0.0'
        [IO.File]::WriteAllText((Join-Path $git.Clone 'CHANGELOG.md'), "# Changelog`n`n## [1.0.0] - 2020-01-01`n`n- hand written`n")
        Get-FullyQualifiedErrorId { Update-SkChangelog -Path $git.Clone } | Should -Be 'ChangelogSectionExists,Skillancer.Deploy.Release.UpdateSkChangelogCommand'
    }
}
