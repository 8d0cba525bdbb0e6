using System.Text;
using Skillancer.Deploy.Sandbox.Database;
using Skillancer.Deploy.Sandbox.Services;

namespace Skillancer.Deploy.Sandbox.Hosting;

/// <summary>Writes an skdeploy.yml whose environments are served by this sandbox.</summary>
internal static class SandboxConfigWriter
{
    public static string Write(string directory, Uri baseUrl, SandboxDatabases? databases)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Join(directory, "skdeploy.yml");
        var yaml = new StringBuilder()
            .AppendLine("# Written by the Skillancer.Deploy sandbox. Every endpoint below is served by the sandbox itself.")
            .AppendLine("defaults:")
            .AppendLine("  registry: skillancer")
            .AppendLine("environments:");
        foreach (var environment in RunbookServices.Environments)
        {
            var production = environment == "production";
            yaml.AppendLine($"  {environment}:")
                .AppendLine($"    url: {baseUrl}svc/{environment}/web/")
                .AppendLine($"    requireApproval: {(production ? "true" : "false")}")
                .AppendLine($"    enforceSchedule: {(production ? "true" : "false")}")
                .AppendLine("    kubernetes:")
                .AppendLine($"      namespace: {environment}");
            if (databases?.ByEnvironment.GetValueOrDefault(environment) is { Variable: { } variable })
            {
                yaml.AppendLine("    database:")
                    .AppendLine($"      connectionStringEnv: {variable}");
                if (databases.MigrationsFolder is not null) yaml.AppendLine($"      migrations: '{databases.MigrationsFolder}'");
                if (databases.RollbackFolder is not null) yaml.AppendLine($"      rollbackScripts: '{databases.RollbackFolder}'");
                yaml.AppendLine("      largeTables: [Job]");
            }

            yaml.AppendLine("    services:");
            foreach (var service in RunbookServices.All)
            {
                yaml.AppendLine($"      - name: {service.Name}")
                    .AppendLine($"        displayName: {service.DisplayName}")
                    .AppendLine($"        tier: {service.Tier}")
                    .AppendLine($"        health: {baseUrl}svc/{environment}/{service.Name}{service.HealthPath}");
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
