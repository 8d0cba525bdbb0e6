using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Primitives;

/// <summary>A cause from elsewhere and our advice become separate sentences, never "Connection refused Check ...".</summary>
public class SentencesTests
{
    [Theory]
    [InlineData("Connection refused", "Connection refused.")]
    [InlineData("Connection refused (127.0.0.1:1)", "Connection refused (127.0.0.1:1).")]
    [InlineData("It failed.", "It failed.")]
    [InlineData("Is it running?", "Is it running?")]
    [InlineData("(exit code 1: fatal.)", "(exit code 1: fatal.)")]
    [InlineData("\"quoted.\"", "\"quoted.\"")]
    [InlineData("the remote said:", "the remote said.")]
    [InlineData("  padded  ", "padded.")]
    public void A_sentence_ends_with_one_full_stop(string text, string expected) =>
        Assert.Equal(expected, Sentences.End(text));

    [Fact]
    public void A_cause_and_advice_are_joined_as_sentences_on_one_line()
    {
        Assert.Equal("CurrentContext: not found in contexts in kubeconfig. Check the file.",
            Sentences.Join("CurrentContext: not found in contexts in kubeconfig", "Check the file."));
        Assert.Equal("It failed. Run it again. Report it.", Sentences.Join("It failed.\n", "Run it again", null, " ", "Report it."));
        Assert.Equal("fatal: a. hint: b. Check it.", Sentences.Join("fatal: a.\nhint:   b", "Check it"));
        Assert.Equal("Check it.", Sentences.Join(null, "Check it."));
    }

    [Fact]
    public async Task An_unreachable_cluster_says_what_happened_and_what_to_check_in_two_sentences()
    {
        using var folder = new TempFolder();
        var kubeconfig = folder.Write("kubeconfig", $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: gone
              cluster: { server: "https://127.0.0.1:{{ClosedPort()}}", insecure-skip-tls-verify: true }
            users:
            - name: me
              user: { token: not-a-real-token }
            contexts:
            - name: gone
              context: { cluster: gone, user: me }
            current-context: gone
            """);
        var settings = new KubernetesSettings(kubeconfig, null, "staging");
        using var cluster = ClusterConnection.Open(settings, null, null, OperationHost.Silent);
        var environment = ConfigLoader.Parse("environments:\n  staging:\n    services:\n      - { name: web, tier: frontend }\n", folder.Write("skdeploy.yml", "")).Environment("staging");

        var failure = await Assert.ThrowsAsync<DeployException>(() => Deployments.GetAsync(cluster, environment, environment.Services, CancellationToken.None));

        Assert.Equal(KubernetesErrors.ClusterUnreachable, failure.ErrorId);
        AssertSeparated(failure.Message, "Check the network, the VPN and the kubeconfig");
    }

    [Fact]
    public async Task A_refused_git_remote_says_what_happened_and_what_to_check_in_two_sentences()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.2.2"));
        git.Git("remote", "set-url", "origin", $"http://127.0.0.1:{ClosedPort()}/skillancer.git");

        var failure = await Assert.ThrowsAsync<DeployException>(() => ReleaseCreator.CreateAsync(new ReleaseRequest(git.Clone, "1.2.3", null), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(ReleaseErrors.RemoteUnreachable, failure.ErrorId);
        AssertSeparated(failure.Message, "Check the network, the remote's URL");
    }

    [Fact]
    public async Task A_refused_database_connection_says_what_happened_and_what_to_check_in_two_sentences()
    {
        using var folder = new MigrationsFolder();
        var target = DatabaseTarget.Parse(new Secret($"postgresql://postgres@127.0.0.1:{ClosedPort()}/postgres", "test"), "test");

        var failure = await Assert.ThrowsAsync<DeployException>(() => MigrationStatusReader.ReadAsync(new MigrationSource(target, folder.Path), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(MigrationErrors.DatabaseUnreachable, failure.ErrorId);
        Assert.Contains("refused", failure.Message, StringComparison.OrdinalIgnoreCase);
        AssertSeparated(failure.Message, "Check the host and port");
    }

    [Fact]
    public void A_kubeconfig_the_client_library_refuses_keeps_its_reason_and_the_advice_apart()
    {
        using var folder = new TempFolder();
        var kubeconfig = folder.Write("kubeconfig", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: { server: "https://127.0.0.1:6443", certificate-authority: ./no-such-ca.crt }
            users:
            - name: u
              user: { token: t }
            contexts:
            - name: c
              context: { cluster: c, user: u }
            current-context: c
            """);

        var failure = Assert.Throws<DeployException>(() => ClusterConnection.Open(new KubernetesSettings(kubeconfig, null, "staging"), null, null, OperationHost.Silent));

        Assert.Equal(KubernetesErrors.KubeconfigInvalid, failure.ErrorId);
        AssertSeparated(failure.Message, "Check the file with 'kubectl config view'");
    }

    // The advice starts a sentence of its own: the text before it ends with a full stop (or ! or ?), maybe inside a bracket or quote.
    private static void AssertSeparated(string message, string advice)
    {
        var at = message.IndexOf(advice, StringComparison.Ordinal);
        Assert.True(at > 0, $"The message lacks \"{advice}\": {message}");
        Assert.Matches(new Regex(@"[.!?][)""']? $"), message[..at]);
        Assert.DoesNotContain("\n", message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
