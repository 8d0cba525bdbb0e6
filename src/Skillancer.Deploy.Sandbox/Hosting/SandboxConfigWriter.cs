using System.Text;
using Skillancer.Deploy.Sandbox.Database;
using Skillancer.Deploy.Sandbox.Kubernetes;
using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Hosting;

/// <summary>Writes an skdeploy.yml whose environments are the scenario's, every endpoint served by this sandbox.</summary>
internal static class SandboxConfigWriter
{
    public static string Write(string directory, Uri baseUrl, string kubeconfig, SandboxScenario scenario, SandboxDatabases? databases, Uri? prometheus, string awsCredentialsFile)
    {
        var path = Path.Join(directory, "skdeploy.yml");
        var yaml = new StringBuilder()
            .AppendLine("# Written by the Skillancer.Deploy sandbox. Every endpoint below is served by the sandbox itself.")
            .AppendLine("defaults:")
            .AppendLine($"  registry: {scenario.Registry}")
            .AppendLine("environments:");
        foreach (var environment in scenario.Environments)
        {
            var approval = environment.RequireApproval ? "true" : "false";
            yaml.AppendLine($"  {environment.Name}:")
                .AppendLine($"    url: {baseUrl}svc/{environment.Name}/web/")
                .AppendLine($"    requireApproval: {approval}")
                .AppendLine($"    enforceSchedule: {approval}");
            if (environment.RequireApproval)
            {
                // A version reaches production from staging: its migrations must have run there first (Test-SkPreflight).
                yaml.AppendLine("    promotesFrom: staging");

                // The approver's kubeconfig (kubeconfig-approver, user in eng-leads) approves; the deployer's may not.
                yaml.AppendLine("    approval:")
                    .AppendLine($"      approvers: [group:{Kubernetes.Access.SandboxUsers.ApproversGroup}]")
                    .AppendLine("      required: 1")
                    .AppendLine("      validFor: 8h")
                    .AppendLine("      allowSelfApproval: false");
            }

            yaml
                .AppendLine("    kubernetes:")
                .AppendLine($"      kubeconfig: '{kubeconfig}'")
                .AppendLine($"      context: {KubeconfigWriter.ContextName}")
                .AppendLine($"      namespace: {environment.Namespace}");
            if (databases?.ByEnvironment.GetValueOrDefault(environment.Name) is { Variable: { } variable })
            {
                yaml.AppendLine("    database:")
                    .AppendLine($"      connectionStringEnv: {variable}");
                if (databases.MigrationsFolder is not null) yaml.AppendLine($"      migrations: '{databases.MigrationsFolder}'");
                if (databases.RollbackFolder is not null) yaml.AppendLine($"      rollbackScripts: '{databases.RollbackFolder}'");
                yaml.AppendLine("      largeTables: [Job]");
            }

            if (prometheus is not null)
            {
                // Queries per namespace ({namespace}), over 5 s: the sandbox scrapes every second, so a bad version shows within seconds.
                yaml.AppendLine("    prometheus:")
                    .AppendLine($"      url: {prometheus}")
                    .AppendLine("      errorRateQuery: 'sum(rate(http_errors_total{namespace=\"{namespace}\"}[5s])) / sum(rate(http_requests_total{namespace=\"{namespace}\"}[5s]))'")
                    .AppendLine("      serviceErrorRateQuery: 'sum(rate(http_errors_total{namespace=\"{namespace}\",service=\"{service}\"}[5s])) / sum(rate(http_requests_total{namespace=\"{namespace}\",service=\"{service}\"}[5s]))'")
                    // One track of a service (stable or canary) for the canary analysis: its error ratio, and its p95 latency from the histogram.
                    .AppendLine("      trackErrorRateQuery: 'sum(rate(http_errors_total{namespace=\"{namespace}\",service=\"{service}\",track=\"{track}\"}[5s])) / sum(rate(http_requests_total{namespace=\"{namespace}\",service=\"{service}\",track=\"{track}\"}[5s]))'")
                    .AppendLine("      latencyQuery: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace=\"{namespace}\",service=\"{service}\",track=\"{track}\"}[5s])))'")
                    .AppendLine("      requiredAlerts: [HighErrorRate, ApiGatewayDown]   # the rules the sandbox's Prometheus loads");
            }

            // Whether the release commit's CI passed, from the sandbox's GitHub (served as GitHub Enterprise serves it, under /api/v3/).
            yaml.AppendLine("    ci:")
                .AppendLine("      provider: github")
                .AppendLine($"      repository: {SandboxHost.Repository}")
                .AppendLine($"      tokenEnv: {SandboxHost.GitHubTokenVariable}")
                .AppendLine($"      url: {baseUrl}");

            // Who is on call, from the sandbox's PagerDuty.
            yaml.AppendLine("    onCall:")
                .AppendLine("      provider: pagerduty")
                .AppendLine($"      scheduleId: {SandboxHost.OnCallSchedule}")
                .AppendLine($"      tokenEnv: {SandboxHost.PagerDutyTokenVariable}")
                .AppendLine($"      url: {baseUrl}pagerduty/");

            // The OCI registry: staging reads it anonymously, production with the registry's user (the token flow both ways).
            yaml.AppendLine("    registry:")
                .AppendLine($"      url: {baseUrl}");
            if (environment.RequireApproval)
            {
                yaml.AppendLine($"      usernameEnv: {SandboxHost.RegistryUsernameVariable}")
                    .AppendLine($"      passwordEnv: {SandboxHost.RegistryPasswordVariable}");
            }

            yaml.AppendLine("    cdn:")
                .AppendLine($"      distributionId: {CloudFront.AwsSandboxCredentials.DistributionId(environment.Name)}")
                .AppendLine($"      endpoint: {baseUrl}")
                .AppendLine($"      profile: {CloudFront.AwsSandboxCredentials.Profile}")
                .AppendLine($"      credentialsFile: '{awsCredentialsFile}'");
            yaml.AppendLine("    featureFlags:")
                .AppendLine($"      url: {baseUrl}svc/{environment.Name}/internal/feature-flags")
                .AppendLine($"      tokenEnv: {SandboxHost.AdminTokenVariable}")
                .AppendLine("      expected:                    # how the flags must be set before a deployment (Test-SkPreflight)")
                .AppendLine("        new_dashboard: { enabled: false }")
                .AppendLine("        proposal_drafts: { rolloutPercentage: 50 }")
                .AppendLine("    notifications:")
                .AppendLine($"      webhookUrlEnv: {SandboxHost.WebhookUrlVariable}")
                .AppendLine("      emergency:                   # on-call and the engineering lead, told of an emergency deployment")
                .AppendLine($"        webhookUrlEnv: {SandboxHost.EmergencyWebhookUrlVariable}");
            yaml.Append(SmokeChecks);
            yaml.AppendLine("    services:");
            foreach (var service in environment.Services)
            {
                yaml.AppendLine($"      - name: {service.Name}")
                    .AppendLine($"        displayName: {service.DisplayName}")
                    .AppendLine($"        tier: {service.Tier}")
                    .AppendLine($"        deployment: {service.Deployment}")
                    .AppendLine($"        container: {service.Container}")
                    .AppendLine($"        image: {service.Image}")
                    .AppendLine($"        health: {baseUrl}svc/{environment.Name}/{service.Name}{service.HealthPath}");
                if (service.Canary is { } canary)
                {
                    yaml.AppendLine("        canary:")
                        .AppendLine($"          virtualService: {canary.VirtualService}")
                        .AppendLine($"          stableSubset: {canary.StableSubset}")
                        .AppendLine($"          canarySubset: {canary.CanarySubset}");
                }
            }
        }

        yaml.AppendLine("schedule:")
            .AppendLine("  timeZone: UTC")
            .AppendLine("  windows:")
            .AppendLine("    - { day: Tuesday,   start: \"14:00\", end: \"18:00\" }")
            .AppendLine("    - { day: Wednesday, start: \"14:00\", end: \"18:00\" }")
            .AppendLine("    - { day: Thursday,  start: \"14:00\", end: \"16:00\" }")
            .AppendLine("  avoid:")
            .AppendLine("    days: [Friday, Monday]")
            .AppendLine("    holidays: { country: US }");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    // The runbook's manual checklist, as checks of the sandbox's web app (WebAppPages).
    private const string SmokeChecks = $$"""
            smoke:
              - name: Homepage loads
                request: GET /
                expectStatus: 200
                expectBodyContains: Skillancer
              - name: User can log in
                request: GET /api/me
                headers:
                  AuthorizationEnv: {{SandboxHost.SmokeAuthorizationVariable}}
                expectJson:
                  user.email: smoke-test@skillancer.test
              - name: Job listing works
                request: GET /api/jobs
                expectJson:
                  total: 3
              - name: Proposal submission works
                request: POST /api/proposals
                body: { jobId: 101, coverLetter: Smoke test proposal }
                expectStatus: 201
                expectJson:
                  status: submitted
              - name: Payment flow accessible
                request: GET /api/payments/checkout
                timeout: 5s

        """;
}
