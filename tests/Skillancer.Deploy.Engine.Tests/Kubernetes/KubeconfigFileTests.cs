using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Kubernetes;

/// <summary>A broken kubeconfig is KubeconfigInvalid with its file, line and column and what to do, never the YAML library's bare exception.</summary>
public class KubeconfigFileTests
{
    private const string Valid = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: https://127.0.0.1:6443
        users:
        - name: u
          user:
            token: t
        contexts:
        - name: ctx
          context:
            cluster: c
            user: u
        current-context: ctx
        """;

    [Fact]
    public void Text_that_is_not_YAML_is_placed_at_the_line_and_column_where_parsing_failed()
    {
        var failure = Open("apiVersion: v1\nclusters: [ { name: c\n  - oops: {\n", out var path);

        Assert.Equal(KubernetesErrors.KubeconfigInvalid, failure.ErrorId);
        Assert.Matches($@"^{Escape(path)}:3:\d+: the file is not valid YAML: ", failure.Message);
        Assert.Contains("Fix the file, or point kubernetes.kubeconfig", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SemanticErrorException", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foo: bar\nlist: [1, 2]\n", ":1:1: the file is not a kubeconfig: it has no contexts")]
    [InlineData("- a\n- b\n", ":1:1: the file is not a kubeconfig: it holds a YAML list")]
    [InlineData("", ":1:1: the file is empty, not a kubeconfig")]
    [InlineData("apiVersion: v1\nkind: Config\nclusters: 5\ncontexts: []\n", ":3:11: 'clusters' must be a list of named entries")]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n", ":2:7: the file is a Kubernetes 'Deployment', not a kubeconfig")]
    public void YAML_that_is_not_a_kubeconfig_says_so_and_where(string text, string expected)
    {
        var failure = Open(text, out var path);

        Assert.Equal(KubernetesErrors.KubeconfigInvalid, failure.ErrorId);
        Assert.StartsWith(path + expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_current_context_names_the_contexts_to_choose_from()
    {
        var failure = Open(Valid.Replace("current-context: ctx", "preferences: {}", StringComparison.Ordinal), out var path);

        Assert.Equal(KubernetesErrors.KubeconfigInvalid, failure.ErrorId);
        Assert.Equal($"{path}:1:1: the kubeconfig sets no current-context, and no context was asked for. " +
            "Pass -Context with one of its contexts (ctx), set kubernetes.context in skdeploy.yml, or run 'kubectl config use-context <name>'.", failure.Message);
    }

    [Fact]
    public void A_current_context_that_names_no_context_is_placed_on_its_line()
    {
        var failure = Open(Valid.Replace("current-context: ctx", "current-context: gone", StringComparison.Ordinal), out var path);

        Assert.StartsWith($"{path}:16:1: current-context 'gone' names no context in the file (it has: ctx). Run 'kubectl config use-context", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_context_that_names_a_missing_cluster_or_user_is_placed_on_its_line()
    {
        var cluster = Open(Valid.Replace("cluster: c\n", "cluster: other\n", StringComparison.Ordinal), out var path);
        var user = Open(Valid.Replace("user: u\n", "user: nobody\n", StringComparison.Ordinal), out var userPath);

        Assert.StartsWith($"{path}:14:5: the context 'ctx' names the cluster 'other', which the file does not list (it has: c).", cluster.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{userPath}:15:5: the context 'ctx' names the user 'nobody', which the file does not list (it has: u).", user.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_context_asked_for_lists_the_ones_there_are()
    {
        var failure = Open(Valid, out _, context: "prod-eu");

        Assert.Equal(KubernetesErrors.KubeconfigInvalid, failure.ErrorId);
        Assert.Contains("cannot be used with context 'prod-eu': it has no such context (it has: ctx). Pass -Context with one of its contexts", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_kubeconfig_opens()
    {
        using var folder = new TempFolder();
        var path = folder.Write("kubeconfig", Valid);

        using var cluster = ClusterConnection.Open(new KubernetesSettings(path, null, "staging"), null, null, OperationHost.Silent);

        Assert.Equal("ctx", cluster.Context);
        Assert.Equal("https://127.0.0.1:6443/", new Uri(cluster.Server).ToString());
    }

    private static DeployException Open(string text, out string path, string? context = null)
    {
        using var folder = new TempFolder();
        var file = folder.Write("kubeconfig", text);
        path = file;
        return Assert.Throws<DeployException>(() => ClusterConnection.Open(new KubernetesSettings(file, null, "staging"), null, context, OperationHost.Silent));
    }

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
