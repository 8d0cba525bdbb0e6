using System.Text;
using Skillancer.Deploy.Sandbox.Database;
using Skillancer.Deploy.Sandbox.Kubernetes;
using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Hosting;

/// <summary>Writes an skdeploy.yml whose environments are the scenario's, every endpoint served by this sandbox.</summary>
internal static class SandboxConfigWriter
{
    public static string Write(string directory, Uri baseUrl, string kubeconfig, SandboxScenario scenario, SandboxDatabases? databases)
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
                .AppendLine($"    enforceSchedule: {approval}")
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
}
