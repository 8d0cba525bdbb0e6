using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Kubernetes;

/// <summary>Reaching the cluster: the kubeconfig chain, and the errors when it is wrong.</summary>
public class ClusterConnectionTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    [Fact]
    public async Task The_environments_kubeconfig_and_context_reach_the_cluster_over_verified_TLS()
    {
        var staging = sandbox.Config.Environment("staging");
        using var cluster = ClusterConnection.Open(staging.Kubernetes, null, null, OperationHost.Silent);

        var states = await Deployments.GetAsync(cluster, staging, staging.Services, CancellationToken.None);

        Assert.Equal("sandbox", cluster.Context);
        Assert.StartsWith("https://127.0.0.1:", cluster.Server, StringComparison.Ordinal);
        Assert.Equal(5, states.Count);
    }

    [Fact]
    public void A_missing_kubeconfig_says_where_it_looked()
    {
        using var folder = new TempFolder();
        var settings = new KubernetesSettings(Path.Join(folder.Path, "nope"), null, "staging");

        var failure = Assert.Throws<DeployException>(() => ClusterConnection.Open(settings, null, null, OperationHost.Silent));

        Assert.Equal(KubernetesErrors.KubeconfigNotFound, failure.ErrorId);
        Assert.Contains("kubernetes.kubeconfig in skdeploy.yml, $env:KUBECONFIG or -Kubeconfig", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_context_is_KubeconfigInvalid()
    {
        var staging = sandbox.Config.Environment("staging");

        var failure = Assert.Throws<DeployException>(() => ClusterConnection.Open(staging.Kubernetes, null, "prod-eu", OperationHost.Silent));

        Assert.Equal(KubernetesErrors.KubeconfigInvalid, failure.ErrorId);
        Assert.Contains("with context 'prod-eu'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_ClusterAccessDenied_and_the_token_is_never_shown()
    {
        using var folder = new TempFolder();
        var staging = sandbox.Config.Environment("staging");
        var kubeconfig = Path.Join(folder.Path, "kubeconfig");
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(kubeconfig, Regex.Replace(File.ReadAllText(staging.Kubernetes.Kubeconfig!), "token: .*", "token: " + wrong));
        using var cluster = ClusterConnection.Open(staging.Kubernetes, kubeconfig, null, OperationHost.Silent);

        var failure = await Assert.ThrowsAsync<DeployException>(() => Deployments.GetAsync(cluster, staging, staging.Services, CancellationToken.None));

        Assert.Equal(KubernetesErrors.ClusterAccessDenied, failure.ErrorId);
        Assert.Contains("401 Unauthorized", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, Secret.Redact(failure.Message + failure.InnerException), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_ClusterUnreachable()
    {
        using var folder = new TempFolder();
        var staging = sandbox.Config.Environment("staging");
        var kubeconfig = Path.Join(folder.Path, "kubeconfig");
        File.WriteAllText(kubeconfig, Regex.Replace(File.ReadAllText(staging.Kubernetes.Kubeconfig!), @"server: https://127\.0\.0\.1:\d+", $"server: https://127.0.0.1:{ClosedPort()}"));
        using var cluster = ClusterConnection.Open(staging.Kubernetes, kubeconfig, null, OperationHost.Silent);

        var failure = await Assert.ThrowsAsync<DeployException>(() => Deployments.GetAsync(cluster, staging, [staging.Service("web")], CancellationToken.None));

        Assert.Equal(KubernetesErrors.ClusterUnreachable, failure.ErrorId);
        Assert.Contains("Check the network, the VPN and the kubeconfig", failure.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
