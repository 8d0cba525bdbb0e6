using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Configuration.Starter;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;
using Skillancer.Deploy.Engine.Verification.ErrorRate;
using YamlDotNet.RepresentationModel;

namespace Skillancer.Deploy.Engine.Tests.Configuration;

/// <summary>New-SkConfiguration's engine: the runbook's starter, and the one proposed from the sandbox's cluster.</summary>
[Collection(ClusterScopedRequests.Name)]
public class StarterConfigurationTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly string[] RunbookOrder = ["auth-svc", "market-svc", "skillpod-svc", "api-gateway", "web"];
    private static readonly OperationHost WhatIf = new(_ => { }, _ => { }, _ => { }, (_, _) => Approval.WhatIf);

    [Fact]
    public async Task The_runbook_starter_lists_the_five_services_in_their_tiers_and_the_runbook_schedule_and_loads_without_warnings()
    {
        using var folder = new TempFolder();

        var written = await WriteAsync(new StarterRequest(Path.Join(folder.Path, "skdeploy.yml"), ["staging", "production"], Force: false));
        var config = ConfigLoader.Load(written!.ConfigPath);

        Assert.Empty(config.Warnings);
        Assert.Equal(["staging", "production"], written.Environment);
        Assert.Equal((5, "runbook"), (written.Services, written.Source));
        Assert.All(config.Environments, e => Assert.Equal(RunbookOrder, e.Services.Select(s => s.Name)));
        Assert.All(config.Environments, e => Assert.Equal(
            [ServiceTier.Backend, ServiceTier.Backend, ServiceTier.Backend, ServiceTier.Gateway, ServiceTier.Frontend], e.Services.Select(s => s.Tier)));
        Assert.Equal((false, true), (config.Environment("staging").RequireApproval, config.Environment("production").RequireApproval));
        Assert.Equal("/api/health", config.Environment("production").Service("web").Health!.AbsolutePath);
        Assert.Equal(ScheduleSettings.Runbook.Windows, config.Schedule.Windows);
        Assert.Equal([DayOfWeek.Friday, DayOfWeek.Monday], config.Schedule.AvoidDays);
        Assert.Equal(written.Checks, Regex.Count(await File.ReadAllTextAsync(written.ConfigPath), "# check"));
    }

    [Fact]
    public async Task Every_Env_key_names_a_variable_that_the_header_says_to_set()
    {
        using var folder = new TempFolder();

        var written = await WriteAsync(new StarterRequest(folder.Path, ["staging", "production"], Force: false));
        var text = await File.ReadAllTextAsync(written!.ConfigPath);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var active = EnvKeys(yaml.Documents[0].RootNode).ToList();
        var header = Regex.Matches(text, @"^#\s+\$env:(\w+) = ", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(
            ["AuthorizationEnv", "connectionStringEnv", "tokenEnv", "webhookUrlEnv"],
            active.Select(k => k.Key).Distinct().Order(StringComparer.Ordinal));
        Assert.All(active, k => Assert.Contains(k.Variable, header));
        Assert.Equal(
            ["ADMIN_TOKEN", "DATABASE_URL", "SLACK_WEBHOOK_URL", "SMOKE_AUTHORIZATION", "STAGING_ADMIN_TOKEN", "STAGING_DATABASE_URL", "STAGING_SMOKE_AUTHORIZATION"],
            header.Order(StringComparer.Ordinal));
        Assert.Matches(@"# healthTokenEnv: STAGING_HEALTH_TOKEN\s+# the variable", text);
    }

    [Fact]
    public async Task An_existing_file_is_kept_unless_Force_is_given()
    {
        using var folder = new TempFolder();
        var path = folder.Write("skdeploy.yml", "mine");

        var refused = await Assert.ThrowsAsync<DeployException>(() => WriteAsync(new StarterRequest(path, ["staging"], Force: false)));
        var kept = await File.ReadAllTextAsync(path);
        var forced = await WriteAsync(new StarterRequest(path, ["staging"], Force: true));

        Assert.Equal(StarterErrors.FileExists, refused.ErrorId);
        Assert.Contains("-Force", refused.Message, StringComparison.Ordinal);
        Assert.Contains("another -Path", refused.Message, StringComparison.Ordinal);
        Assert.Equal("mine", kept);
        Assert.Equal(["staging"], ConfigLoader.Load(forced!.ConfigPath).Environments.Select(e => e.Name));
    }

    [Fact]
    public async Task WhatIf_writes_nothing_not_even_the_folder()
    {
        using var folder = new TempFolder();
        var path = Path.Join(folder.Path, "deploy", "skdeploy.yml");

        var written = await StarterConfigurations.WriteAsync(new StarterRequest(path, ["staging"], Force: false), WhatIf, CancellationToken.None);

        Assert.Null(written);
        Assert.False(Directory.Exists(Path.Join(folder.Path, "deploy")));
    }

    [Fact]
    public async Task A_folder_existing_or_not_gets_skdeploy_yml_inside_it_and_a_yml_or_yaml_name_is_the_file()
    {
        using var folder = new TempFolder();

        var written = await WriteAsync(new StarterRequest(folder.Path, ["qa"], Force: false));
        var inNewFolder = await WriteAsync(new StarterRequest(Path.Join(folder.Path, "deploy"), ["qa"], Force: false));
        var named = await WriteAsync(new StarterRequest(Path.Join(folder.Path, "other", "qa.YAML"), ["qa"], Force: false));

        Assert.Equal(Path.Join(folder.Path, "deploy", "skdeploy.yml"), inNewFolder!.ConfigPath);
        Assert.Equal(Path.Join(folder.Path, "other", "qa.YAML"), named!.ConfigPath);
        Assert.Equal(Path.Join(folder.Path, "skdeploy.yml"), written!.ConfigPath);
        var qa = ConfigLoader.Load(written.ConfigPath).Environment("qa");
        Assert.Equal(("https://qa.skillancer.com/", false), (qa.Url!.ToString(), qa.RequireApproval));
        Assert.Equal("QA_DATABASE_URL", qa.Database!.ConnectionStringEnv);
    }

    [Theory]
    [InlineData("./skdeploy.yml", "It looks like a path")]
    [InlineData("prod env", "is not an environment name")]
    [InlineData("1st", "is not an environment name")]
    public async Task A_name_that_cannot_be_an_environment_is_refused_before_anything_is_written(string name, string expected)
    {
        using var folder = new TempFolder();

        var refused = await Assert.ThrowsAsync<DeployException>(() => WriteAsync(new StarterRequest(folder.Path, [name], Force: false)));

        Assert.Equal(StarterErrors.InvalidEnvironmentName, refused.ErrorId);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task From_the_cluster_it_proposes_each_deployment_with_its_tier_container_registry_image_and_canary()
    {
        var staging = await sandbox.NewEnvironmentAsync("staging");
        var production = await sandbox.NewEnvironmentAsync("production");
        using var folder = new TempFolder();

        var written = await WriteAsync(new StarterRequest(folder.Path, ["staging", "production"], Force: false)
        {
            FromCluster = true,
            Kubeconfig = staging.Kubernetes.Kubeconfig,
            Namespaces = new Dictionary<string, string> { ["staging"] = staging.Kubernetes.Namespace, ["production"] = production.Kubernetes.Namespace },
        });
        var config = ConfigLoader.Load(written!.ConfigPath);
        var proposed = config.Environment("staging");
        using var cluster = sandbox.Connect(proposed);
        var states = await Deployments.GetAsync(cluster, proposed, proposed.Services, CancellationToken.None);

        Assert.Empty(config.Warnings);
        Assert.Equal((staging.Kubernetes.Namespace, production.Kubernetes.Namespace), (proposed.Kubernetes.Namespace, config.Environment("production").Kubernetes.Namespace));
        Assert.Equal("skillancer", proposed.Registry);
        Assert.Equal(
            staging.Services.Select(s => (s.Name, s.Tier, s.Deployment, s.Container, s.Image)),
            proposed.Services.Select(s => (s.Name, s.Tier, s.Deployment, s.Container, s.Image)));
        Assert.Equal(staging.Service("web").Canary, proposed.Service("web").Canary);
        Assert.All(proposed.Services.Where(s => s.Name != "web"), s => Assert.Null(s.Canary));
        Assert.All(states, s => Assert.Equal("v1.2.2", s.Version));
        Assert.StartsWith("context ", written.Source, StringComparison.Ordinal);
        Assert.True(written.Checks >= 10, $"each of the 10 guessed tiers is marked # check, found {written.Checks} marks");
    }

    [Fact]
    public async Task From_the_cluster_without_Namespace_each_environment_takes_the_namespace_named_like_it()
    {
        using var folder = new TempFolder();

        var written = await WriteAsync(new StarterRequest(folder.Path, ["staging", "production"], Force: false)
        {
            FromCluster = true,
            Kubeconfig = sandbox.Config.Environment("staging").Kubernetes.Kubeconfig,
        });
        var config = ConfigLoader.Load(written!.ConfigPath);

        Assert.Equal(["staging", "production"], config.Environments.Select(e => e.Kubernetes.Namespace));
        Assert.Contains("Namespaces it can list:", await File.ReadAllTextAsync(written.ConfigPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task From_the_cluster_a_namespace_it_does_not_have_is_NamespaceNotFound_with_those_it_has()
    {
        using var folder = new TempFolder();

        var missing = await Assert.ThrowsAsync<DeployException>(() => WriteAsync(new StarterRequest(folder.Path, ["staging"], Force: false)
        {
            FromCluster = true,
            Kubeconfig = sandbox.Config.Environment("staging").Kubernetes.Kubeconfig,
            Namespaces = new Dictionary<string, string> { ["staging"] = "no-such-namespace" },
        }));

        Assert.Equal(StarterErrors.NamespaceNotFound, missing.ErrorId);
        Assert.Contains("Namespaces it can see: ", missing.Message, StringComparison.Ordinal);
        Assert.Contains("-Namespace @{ staging = '<namespace>' }", missing.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task From_the_cluster_a_namespace_without_deployments_is_NoDeploymentsFound()
    {
        var ns = "empty-" + Guid.NewGuid().ToString("N")[..8];
        using (var cluster = sandbox.ConnectAsAdmin(sandbox.Config.Environment("staging")))
        {
            await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        }

        using var folder = new TempFolder();

        var empty = await Assert.ThrowsAsync<DeployException>(() => WriteAsync(new StarterRequest(folder.Path, ["staging"], Force: false)
        {
            FromCluster = true,
            Kubeconfig = sandbox.Config.Environment("staging").Kubernetes.Kubeconfig,
            Namespaces = new Dictionary<string, string> { ["staging"] = ns },
        }));

        Assert.Equal(StarterErrors.NoDeploymentsFound, empty.ErrorId);
        Assert.Contains($"Namespace '{ns}' (for staging)", empty.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task A_path_that_cannot_be_written_is_ConfigNotWritten()
    {
        using var folder = new TempFolder();
        var file = folder.Write("not-a-folder", "x");

        var refused = await Assert.ThrowsAsync<DeployException>(() => WriteAsync(new StarterRequest(Path.Join(file, "skdeploy.yml"), ["staging"], Force: false)));

        Assert.Equal(StarterErrors.NotWritten, refused.ErrorId);
        Assert.Contains("another -Path", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_namespace_filtered_queries_it_suggests_load_when_uncommented_and_read_the_sandboxs_error_ratio()
    {
        using var folder = new TempFolder();
        var written = await WriteAsync(new StarterRequest(folder.Path, ["staging"], Force: false));
        var text = Regex.Replace(await File.ReadAllTextAsync(written!.ConfigPath), @"^(\s+)# ((service)?[eE]rrorRateQuery: )", "$1$2", RegexOptions.Multiline);
        var staging = ConfigLoader.Parse(text, written.ConfigPath).Environment("staging");
        var server = sandbox.Config.Environment("staging").Prometheus?.Url;
        Assert.True(server is not null, "the sandbox runs no Prometheus; install it (apt-get install prometheus)");
        using var client = new HttpClient();

        foreach (var query in new[] { ErrorRateQueries.For(staging, null, null), ErrorRateQueries.For(staging, staging.Service("web"), null) })
        {
            Assert.Contains("namespace=\"staging\"", query, StringComparison.Ordinal);
            // The sandbox's staging namespace serves traffic at a good version's 0.5% errors: the filtered query reads it.
            var reading = await Eventually.ReadAsync(
                () => PrometheusQuery.ReadAsync(client, server, query, TimeSpan.FromSeconds(10), OperationHost.Silent, CancellationToken.None),
                r => r.Value is not null);
            Assert.InRange(reading.Value ?? -1, 0, 0.05);
        }
    }

    private static Task<StarterConfiguration?> WriteAsync(StarterRequest request) =>
        StarterConfigurations.WriteAsync(request, OperationHost.Silent, CancellationToken.None);

    // Every key ending in "Env" in the document, with the variable it names.
    private static IEnumerable<(string Key, string Variable)> EnvKeys(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.SelectMany(pair =>
            pair.Key is YamlScalarNode { Value: { } key } && key.EndsWith("Env", StringComparison.Ordinal) && pair.Value is YamlScalarNode { Value: { } value }
                ? [(key, value)]
                : EnvKeys(pair.Value)),
        YamlSequenceNode list => list.Children.SelectMany(EnvKeys),
        _ => [],
    };
}
