# The rollout cmdlets against the sandbox's Kubernetes API, each test in namespaces of its own.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SkModule
}

Describe 'Get-SkDeployment' {
    It 'shows what each service runs, in the runbook''s order' {
        $cluster = New-TestCluster
        $states = Get-SkDeployment -Environment staging -ConfigPath $cluster.ConfigPath
        $states.Service | Should -Be @('auth-svc', 'market-svc', 'skillpod-svc', 'api-gateway', 'web')
        $states | ForEach-Object { $_.Version | Should -Be 'v1.2.2'; $_.Status | Should -Be 'Complete'; $_.Available | Should -Be 2; $_.Namespace | Should -Be $cluster.Staging }
        ($states | Out-String -Width 200) | Should -Match 'web\s+v1\.2\.2\s+1\s+2/2\s+Complete'
    }

    It 'names a missing environment with its error id' {
        $cluster = New-TestCluster
        Get-FullyQualifiedErrorId { Get-SkDeployment -Environment qa -ConfigPath $cluster.ConfigPath } |
            Should -Be 'EnvironmentNotFound,Skillancer.Deploy.Kubernetes.GetSkDeploymentCommand'
    }
}

Describe 'Start-SkRollout' {
    It 'takes a release from New-SkRelease and rolls it out, waits, and hands the services to Test-SkHealth' {
        $cluster = New-TestCluster
        $git = New-GitWorkspace -Version '1.2.2'
        $health = New-SkRelease -Version 1.2.3 -Path $git.Clone -NoPush |
            Start-SkRollout -Environment staging -ConfigPath $cluster.ConfigPath |
            Wait-SkRollout -ConfigPath $cluster.ConfigPath |
            Test-SkHealth -ConfigPath $cluster.ConfigPath
        $health.Service | Should -Be @('auth-svc', 'market-svc', 'skillpod-svc', 'api-gateway', 'web')
        $health | ForEach-Object { $_.Healthy | Should -BeTrue }
        (Get-SkDeployment staging -ConfigPath $cluster.ConfigPath).Version | Sort-Object -Unique | Should -Be 'v1.2.3'
    }

    It 'reports each service with its images, revision, status and duration' {
        $cluster = New-TestCluster
        $results = Start-SkRollout staging v1.2.3-rc.1 -Service web, auth-svc -ConfigPath $cluster.ConfigPath
        $results.Service | Should -Be @('auth-svc', 'web')
        $results | ForEach-Object {
            $_.Status | Should -Be 'Complete'
            $_.FromImage | Should -Be "skillancer/$($_.Service):v1.2.2"
            $_.ToImage | Should -Be "skillancer/$($_.Service):v1.2.3-rc.1"
            $_.Version | Should -Be 'v1.2.3-rc.1'
            $_.Revision | Should -Be 2
            $_.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
        }
        (Start-SkRollout staging 1.2.3-rc.1 -Service web -ConfigPath $cluster.ConfigPath).Status | Should -Be 'Skipped'
    }

    It 'sends no mutating request with -WhatIf, even to production' {
        $cluster = New-TestCluster
        Start-SkRollout production 1.2.3 -ConfigPath $cluster.ConfigPath -WhatIf | Should -BeNullOrEmpty
        Get-MutatingRequest -Namespace $cluster.Production | Should -BeNullOrEmpty
        (Get-SkDeployment production -ConfigPath $cluster.ConfigPath).Version | Sort-Object -Unique | Should -Be 'v1.2.2'
    }

    It 'rolls out an approved version to production with -Force (and -Emergency, as production enforces the schedule)' {
        $cluster = New-TestCluster
        Approve-TestRelease -ConfigPath $cluster.ConfigPath
        $results = Start-SkRollout production 1.2.3 -Service api-gateway -ConfigPath $cluster.ConfigPath -Force -Emergency -Reason 'pester' 3>$null
        $results.Status | Should -Be 'Complete'
        @(Get-MutatingRequest -Namespace $cluster.Production).Count | Should -Be 1
    }

    It 'refuses a version that is not a tag, changing nothing' {
        $cluster = New-TestCluster
        Get-FullyQualifiedErrorId { Start-SkRollout staging '1.2.3+build.7' -ConfigPath $cluster.ConfigPath } |
            Should -Be 'InvalidVersion,Skillancer.Deploy.Kubernetes.StartSkRolloutCommand'
        Get-MutatingRequest -Namespace $cluster.Staging | Should -BeNullOrEmpty
    }
}

Describe 'Wait-SkRollout' {
    It 'fails a broken version with the progress-deadline message, and -UndoOnFailure restores the previous image' {
        $cluster = New-TestCluster -ProgressDeadlineSeconds 1
        $output = Start-SkRollout staging 1.2.4-broken -Service web -NoWait -ConfigPath $cluster.ConfigPath |
            Wait-SkRollout -UndoOnFailure -ConfigPath $cluster.ConfigPath -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $output[0].Status | Should -Be 'Failed'
        $output[0].Message | Should -Be 'deployment "web" exceeded its progress deadline'
        $output[1].Status | Should -Be 'RolledBack'
        $output[1].ToImage | Should -Be 'skillancer/web:v1.2.2'
        $failures[0].FullyQualifiedErrorId | Should -Be 'RolloutFailed,Skillancer.Deploy.Kubernetes.WaitSkRolloutCommand'
        $failures[0].Exception.Message | Should -Match 'Undo-SkDeployment'
        (Get-SkDeployment staging web -ConfigPath $cluster.ConfigPath).Version | Should -Be 'v1.2.2'
    }

    It 'stops at once when the pipeline is stopped (Ctrl+C)' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.4-broken -Service web -NoWait -ConfigPath $cluster.ConfigPath | Out-Null
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddCommand('Import-Module').AddParameter('Name', $env:SKDEPLOY_MODULE_PATH).AddStatement()
            $null = $shell.AddCommand('Wait-SkRollout').AddParameter('Environment', 'staging').AddParameter('Service', 'web').AddParameter('ConfigPath', $cluster.ConfigPath)
            $running = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($shell.Streams.Progress.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $shell.Streams.Progress.Count | Should -BeGreaterThan 0 -Because 'the wait is under way'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $watch.Stop()
            $running.AsyncWaitHandle.WaitOne(5000) | Should -BeTrue -Because 'the invocation ends once stopped'
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            Write-Host "Wait-SkRollout stopped in $($watch.ElapsedMilliseconds) ms"
        }
        finally {
            $shell.Dispose()
        }
    }
}

Describe 'Undo-SkDeployment' {
    It 'goes back one revision after two releases, and to a named revision' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -Service market-svc -ConfigPath $cluster.ConfigPath | Out-Null
        Start-SkRollout staging 1.2.4 -Service market-svc -ConfigPath $cluster.ConfigPath | Out-Null
        $back = Undo-SkDeployment staging market-svc -ConfigPath $cluster.ConfigPath
        $back.Status | Should -Be 'RolledBack'
        "$($back.FromRevision)->$($back.ToRevision)" | Should -Be '3->2'
        $back.Revision | Should -Be 4
        $first = Undo-SkDeployment staging market-svc -ToRevision 1 -ConfigPath $cluster.ConfigPath
        $first.ToImage | Should -Be 'skillancer/market-svc:v1.2.2'
        (Get-SkDeploymentHistory staging market-svc -ConfigPath $cluster.ConfigPath).Revision | Should -Be @(3, 4, 5)
    }

    It 'reverts exactly what Start-SkRollout rolled out, from the pipeline' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath | Out-Null
        $results = Start-SkRollout staging 1.2.4 -Service web, auth-svc -ConfigPath $cluster.ConfigPath | Undo-SkDeployment -ConfigPath $cluster.ConfigPath
        ($results | Sort-Object Service).ToImage | Should -Be @('skillancer/auth-svc:v1.2.2', 'skillancer/web:v1.2.3')
    }

    It 'sends no mutating request with -WhatIf' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -Service web -ConfigPath $cluster.ConfigPath | Out-Null
        $before = @(Get-MutatingRequest -Namespace $cluster.Staging).Count
        Undo-SkDeployment staging web -ConfigPath $cluster.ConfigPath -WhatIf | Should -BeNullOrEmpty
        @(Get-MutatingRequest -Namespace $cluster.Staging).Count | Should -Be $before
    }

    It 'says there is no history to go back to' {
        $cluster = New-TestCluster
        Get-FullyQualifiedErrorId { Undo-SkDeployment staging web -ConfigPath $cluster.ConfigPath } |
            Should -Be 'NoRolloutHistory,Skillancer.Deploy.Kubernetes.UndoSkDeploymentCommand'
    }
}

Describe 'Agreement with kubectl' {
    It 'reports what kubectl get deployment -o json reports, after a rollout and a rollback' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -ConfigPath $cluster.ConfigPath | Out-Null
        Undo-SkDeployment staging auth-svc -ConfigPath $cluster.ConfigPath | Out-Null
        $kubeconfig = (Get-SkEnvironment staging -ConfigPath $cluster.ConfigPath).Kubernetes.Kubeconfig
        $kubectl = (kubectl --kubeconfig $kubeconfig --cache-dir (Join-Path $TestDrive 'kubectl') get deployments -n $cluster.Staging -o json | ConvertFrom-Json).items
        foreach ($state in Get-SkDeployment staging -ConfigPath $cluster.ConfigPath) {
            $theirs = $kubectl | Where-Object { $_.metadata.name -eq $state.Deployment }
            $state.Image | Should -Be $theirs.spec.template.spec.containers[0].image
            $state.Revision | Should -Be ([long]$theirs.metadata.annotations.'deployment.kubernetes.io/revision')
            $state.Available | Should -Be $theirs.status.availableReplicas
            $state.ChangeCause | Should -Be $theirs.metadata.annotations.'kubernetes.io/change-cause'
        }
    }
}

Describe 'Get-SkDeploymentHistory' {
    It 'lists the revisions and change-causes that kubectl rollout history shows' {
        $cluster = New-TestCluster
        Start-SkRollout staging 1.2.3 -Service api-gateway -ConfigPath $cluster.ConfigPath | Out-Null
        $history = Get-SkDeploymentHistory staging api-gateway -ConfigPath $cluster.ConfigPath
        $kubeconfig = (Get-SkEnvironment staging -ConfigPath $cluster.ConfigPath).Kubernetes.Kubeconfig
        $kubectl = kubectl --kubeconfig $kubeconfig --cache-dir (Join-Path $TestDrive 'kubectl') rollout history deployment/api-gateway -n $cluster.Staging |
            Select-Object -Skip 2 | Where-Object { $_.Trim() } | ForEach-Object { ($_ -split '\s+', 2) -join ' ' }
        $ours = $history | ForEach-Object { "$($_.Revision) $(if ($_.ChangeCause) { $_.ChangeCause } else { '<none>' })" }
        $ours | Should -Be $kubectl
        $history[-1].Current | Should -BeTrue
        $history[-1].Version | Should -Be 'v1.2.3'
    }
}

Describe 'A kubeconfig that cannot be used' {
    BeforeAll {
        $script:GetCommand = 'Skillancer.Deploy.Kubernetes.GetSkDeploymentCommand'
        function New-KubeconfigConfig([string] $Kubeconfig) {
            New-TestConfig -Yaml "environments:`n  staging:`n    kubernetes: { kubeconfig: '$Kubeconfig', namespace: staging }`n    services:`n      - { name: web, tier: frontend }`n"
        }
    }

    It 'is KubeconfigInvalid with the file, line and column and what to do, for each kind of garbage' {
        $notYaml = Join-Path $TestDrive 'not-yaml'
        Set-Content -LiteralPath $notYaml -Value "apiVersion: v1`nclusters: [ { name: c`n  - oops: {"
        $notKubeconfig = Join-Path $TestDrive 'not-kubeconfig'
        Set-Content -LiteralPath $notKubeconfig -Value "foo: bar`nlist: [1, 2]"
        $noCurrent = Join-Path $TestDrive 'no-current-context'
        Set-Content -LiteralPath $noCurrent -Value @'
apiVersion: v1
kind: Config
clusters:
- { name: c, cluster: { server: "https://127.0.0.1:6443" } }
users:
- { name: u, user: { token: t } }
contexts:
- { name: ctx, context: { cluster: c, user: u } }
'@
        $expected = @{
            $notYaml       = "$notYaml`:3:*: the file is not valid YAML: *. Fix the file, or point kubernetes.kubeconfig in skdeploy.yml, `$env:KUBECONFIG or -Kubeconfig at a working kubeconfig*"
            $notKubeconfig = "$notKubeconfig`:1:1: the file is not a kubeconfig: it has no contexts (*). Fix the file*"
            $noCurrent     = "$noCurrent`:1:1: the kubeconfig sets no current-context, and no context was asked for. Pass -Context with one of its contexts (ctx), set kubernetes.context in skdeploy.yml, or run 'kubectl config use-context <name>'."
        }
        foreach ($file in $expected.Keys) {
            $config = New-KubeconfigConfig $file
            Get-FullyQualifiedErrorId { Get-SkDeployment staging -ConfigPath $config } | Should -Be "KubeconfigInvalid,$GetCommand"
            { Get-SkDeployment staging -ConfigPath $config -ErrorAction Stop } | Should -Throw -ExpectedMessage $expected[$file]
        }
        # -Kubeconfig is checked the same way.
        { Get-SkDeployment staging -Kubeconfig $notKubeconfig -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "$notKubeconfig`:1:1: *"
    }

    It 'an API server that does not answer is ClusterUnreachable, with the cause and the advice as separate sentences' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $kubeconfig = Join-Path $TestDrive 'closed-port'
        (Get-Content -Raw (Get-SkEnvironment staging -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG).Kubernetes.Kubeconfig) -replace 'server: https://127\.0\.0\.1:\d+', "server: https://127.0.0.1:$port" |
            Set-Content -LiteralPath $kubeconfig
        $failure = try { Get-SkDeployment staging -Kubeconfig $kubeconfig -ConfigPath $env:SKDEPLOY_SANDBOX_CONFIG -ErrorAction Stop } catch { $_ }
        $failure.FullyQualifiedErrorId | Should -Be "ClusterUnreachable,$GetCommand"
        $failure.Exception.Message | Should -Match "^The API server https://127\.0\.0\.1:$port/? could not be reached \(.*[Rr]efused.*\)\. Check the network, the VPN and the kubeconfig"
    }
}
