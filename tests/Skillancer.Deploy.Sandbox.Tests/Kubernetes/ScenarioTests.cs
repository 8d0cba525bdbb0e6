using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Kubernetes;

/// <summary>The cluster is seeded from an skdeploy.yml, and the files the sandbox writes point at it.</summary>
public class ScenarioTests
{
    [Fact]
    public async Task The_example_configuration_seeds_its_namespaces_services_and_canary_routing()
    {
        await using var sandbox = await KubeSandbox.StartAsync(scenario: Path.Join(RepositoryRoot(), "examples", "skdeploy.yml"));

        var namespaces = await sandbox.Kubectl.SucceedAsync("get", "namespaces", "-o", "name");
        var images = await sandbox.Kubectl.SucceedAsync("get", "deployments", "-n", "production", "-o", "jsonpath={range .items[*]}{.spec.template.spec.containers[0].image}{\"\\n\"}{end}");
        var routing = await sandbox.Kubectl.SucceedAsync("get", "virtualservices,destinationrules", "-n", "staging", "-o", "name");

        Assert.Equal(["namespace/production", "namespace/staging"], namespaces.Trim().Split('\n'));
        Assert.Equal(
            ["skillancer/api-gateway:v1.2.2", "skillancer/auth-svc:v1.2.2", "skillancer/market-svc:v1.2.2", "skillancer/skillpod-svc:v1.2.2", "skillancer/web:v1.2.2"],
            images.Trim().Split('\n'));
        Assert.Equal(["virtualservice.networking.istio.io/web", "destinationrule.networking.istio.io/web"], routing.Trim().Split('\n'));
    }

    [Fact]
    public async Task The_written_configuration_names_the_kubeconfig_by_absolute_path_in_every_environment()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var config = ConfigLoader.Load(sandbox.Host.ConfigPath);
        var files = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Join(sandbox.Directory, "sandbox.json"))).RootElement;

        Assert.Empty(config.Warnings);
        Assert.All(config.Environments, e =>
        {
            Assert.Equal(sandbox.Host.KubeconfigPath, e.Kubernetes.Kubeconfig);
            Assert.True(Path.IsPathFullyQualified(e.Kubernetes.Kubeconfig!));
            Assert.Equal("sandbox", e.Kubernetes.Context);
            Assert.Equal(e.Name, e.Kubernetes.Namespace);
        });
        Assert.Equal(new CanarySettings("web", "stable", "canary"), config.Environment("staging").Service("web").Canary);
        Assert.Equal(sandbox.Host.KubeconfigPath, files.GetProperty("kubeconfig").GetString());
        Assert.Equal(sandbox.Host.ApiServer.ToString(), files.GetProperty("apiServer").GetString());
    }

    [Fact]
    public async Task A_copied_environment_is_deleted_with_everything_in_it_and_its_traffic_is_no_longer_served()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        using var copied = await sandbox.Admin.PostAsJsonAsync("sandbox/kubernetes/environments", new { environment = "staging", @namespace = "t-gone" });
        copied.EnsureSuccessStatusCode();
        Assert.Contains("namespace=\"t-gone\"", await sandbox.Admin.GetStringAsync("metrics"));

        using var deleted = await sandbox.Admin.DeleteAsync("sandbox/kubernetes/environments/t-gone");
        using var again = await sandbox.Admin.DeleteAsync("sandbox/kubernetes/environments/t-gone");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(["namespace/production", "namespace/staging"], (await sandbox.Kubectl.SucceedAsync("get", "namespaces", "-o", "name")).Trim().Split('\n'));
        Assert.Empty((await sandbox.Kubectl.SucceedAsync("get", "deployments,replicasets,pods", "-n", "t-gone", "-o", "name")).Trim());
        Assert.DoesNotContain("t-gone", await sandbox.Admin.GetStringAsync("metrics"));
        Assert.Contains("namespace=\"staging\"", await sandbox.Admin.GetStringAsync("metrics"));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Join(directory.FullName, "Skillancer.Deploy.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the tests run outside the repository");
    }
}
