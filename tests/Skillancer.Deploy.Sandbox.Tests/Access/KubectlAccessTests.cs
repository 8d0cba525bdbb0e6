using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Access;

/// <summary>The sandbox's users, deployment state and RBAC seen through the real kubectl, each user with its own kubeconfig.</summary>
public class KubectlAccessTests
{
    [Fact]
    public async Task Auth_whoami_names_each_kubeconfig_s_user_and_groups()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var review = Path.Join(sandbox.Directory, "review.json");
        await File.WriteAllTextAsync(review, """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""");
        var probe = await sandbox.KubectlAs("deployer").RunAsync("auth", "whoami");
        // kubectl before 1.26 (Debian's 1.20) has no whoami; it sends the same SelfSubjectReview with create --raw.
        var hasWhoami = !probe.Error.Contains("unknown command \"whoami\"", StringComparison.Ordinal);

        foreach (var (role, user, group) in new[] { ("deployer", "deployer@skillancer.test", "skillancer-deployers"), ("approver", "lead@skillancer.test", "eng-leads"), ("viewer", "viewer@skillancer.test", "skillancer-viewers") })
        {
            var kubectl = sandbox.KubectlAs(role);
            if (hasWhoami)
            {
                var output = await kubectl.SucceedAsync("auth", "whoami");
                Assert.Matches($@"Username\s+{System.Text.RegularExpressions.Regex.Escape(user)}", output);
                Assert.Matches($@"Groups\s+\[{group} system:authenticated\]", output);
            }
            else
            {
                var answer = JsonNode.Parse(await kubectl.SucceedAsync("create", "--raw", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "-f", review))!;
                Assert.Equal(user, answer["status"]!["userInfo"]!["username"]!.GetValue<string>());
                Assert.Equal([group, "system:authenticated"], answer["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
            }
        }
    }

    [Theory]
    [InlineData("deployer", "yes")]
    [InlineData("approver", "no")]
    [InlineData("viewer", "no")]
    public async Task Auth_can_i_create_leases_in_production_answers_per_user(string role, string answer)
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var result = await sandbox.KubectlAs(role).RunAsync("auth", "can-i", "create", "leases", "-n", "production");

        Assert.Equal(answer, result.Output.Trim());
        Assert.Equal(answer == "yes" ? 0 : 1, result.ExitCode);
    }

    [Fact]
    public async Task Get_configmaps_and_leases_shows_the_deployer_s_journal_record_and_lock_to_the_viewer()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var deployer = sandbox.KubectlAs("deployer");
        var lease = Path.Join(sandbox.Directory, "lease.yaml");
        await File.WriteAllTextAsync(lease, """
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata:
              name: skdeploy-production
              namespace: production
            spec:
              holderIdentity: deployer@skillancer.test
              leaseDurationSeconds: 60
            """);

        var created = await deployer.SucceedAsync("create", "configmap", "skdeploy-record-1", "--from-literal=status=Running", "-n", "production");
        var applied = await deployer.SucceedAsync("apply", "-f", lease);
        var output = await sandbox.KubectlAs("viewer").SucceedAsync("get", "configmaps,leases", "-n", "production");

        Assert.Equal("configmap/skdeploy-record-1 created", created.Trim());
        Assert.Equal("lease.coordination.k8s.io/skdeploy-production created", applied.Trim());
        var lines = output.Trim().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Matches(@"^NAME\s+DATA\s+AGE$", lines[0]);
        Assert.Matches(@"^configmap/skdeploy-record-1\s+1\s+\d+s$", lines[1]);
        Assert.Matches(@"^NAME\s+HOLDER\s+AGE$", lines[2]);
        Assert.Matches(@"^lease\.coordination\.k8s\.io/skdeploy-production\s+deployer@skillancer\.test\s+\d+s$", lines[3]);
    }

    [Fact]
    public async Task Apply_of_README_s_Role_and_RoleBinding_grants_the_deployers_exactly_that_in_its_namespace()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var file = Path.Join(sandbox.Directory, "skillancer-deploy-rbac.yaml");
        await File.WriteAllTextAsync(file, ReadmeRole());
        var deployer = sandbox.KubectlAs("deployer");

        var applied = await sandbox.Kubectl.SucceedAsync("apply", "-f", file);
        // Without the seeded cluster-wide grant, only README's Role speaks for the deployer.
        await sandbox.Kubectl.SucceedAsync("delete", "clusterrolebinding", "skillancer-deploy");
        var role = JsonNode.Parse(await sandbox.Kubectl.SucceedAsync("get", "role", "skillancer-deploy", "-n", "production", "-o", "json"))!;
        var inProduction = await deployer.RunAsync("auth", "can-i", "patch", "deployments.apps", "-n", "production");
        var scale = await deployer.RunAsync("auth", "can-i", "patch", "deployments.apps", "--subresource=scale", "-n", "production");
        var inStaging = await deployer.RunAsync("auth", "can-i", "patch", "deployments.apps", "-n", "staging");
        var pods = await deployer.RunAsync("auth", "can-i", "list", "pods", "-n", "production");
        var lease = await deployer.RunAsync("auth", "can-i", "update", "leases.coordination.k8s.io", "-n", "production");

        Assert.Equal(
            ["role.rbac.authorization.k8s.io/skillancer-deploy created", "rolebinding.rbac.authorization.k8s.io/skillancer-deploy created"],
            applied.Trim().Split('\n').Select(l => l.Trim()));
        Assert.Equal(8, role["rules"]!.AsArray().Count);
        Assert.Equal(
            ("yes", "yes", "no", "no", "yes"),
            (inProduction.Output.Trim(), scale.Output.Trim(), inStaging.Output.Trim(), pods.Output.Trim(), lease.Output.Trim()));
    }

    [Fact]
    public async Task Apply_of_README_s_approver_Role_lets_only_the_approvers_create_approvals_in_its_namespace()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var file = Path.Join(sandbox.Directory, "skillancer-approver-rbac.yaml");
        // A namespace of its own: the seeded environments already bind the sandbox's approver ClusterRole.
        await File.WriteAllTextAsync(file, ReadmeBlock("Kubernetes: who may approve").Replace("namespace: production", "namespace: approvals", StringComparison.Ordinal));
        await sandbox.Kubectl.SucceedAsync("create", "namespace", "approvals");

        var applied = await sandbox.Kubectl.SucceedAsync("apply", "-f", file);
        var answers = new List<string>();
        foreach (var (role, verb) in new[] { ("approver", "create"), ("approver", "delete"), ("deployer", "create"), ("viewer", "create"), ("approver", "get") })
        {
            answers.Add((await sandbox.KubectlAs(role).RunAsync("auth", "can-i", verb, "secrets", "-n", "approvals")).Output.Trim());
        }

        Assert.Equal(
            ["role.rbac.authorization.k8s.io/skillancer-approver created", "rolebinding.rbac.authorization.k8s.io/skillancer-approver created"],
            applied.Trim().Split('\n').Select(l => l.Trim()));
        Assert.Equal(["yes", "yes", "no", "no", "no"], answers);
    }

    [Fact]
    public async Task The_viewer_s_write_is_refused_with_kubectl_s_Forbidden_error()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var deleted = await sandbox.KubectlAs("viewer").RunAsync("delete", "deployment", "web", "-n", "production");
        var listed = await sandbox.KubectlAs("viewer").SucceedAsync("get", "deployment", "web", "-n", "production", "-o", "name");

        Assert.Equal(1, deleted.ExitCode);
        Assert.Equal(
            "Error from server (Forbidden): deployments.apps \"web\" is forbidden: User \"viewer@skillancer.test\" cannot delete resource \"deployments\" in API group \"apps\" in the namespace \"production\"",
            deleted.Error.Trim());
        Assert.Equal("deployment.apps/web", listed.Trim());
    }

    // The first yaml block under README's "Kubernetes: one Role per namespace".
    private static string ReadmeRole() => ReadmeBlock("Kubernetes: one Role per namespace");

    // The first yaml block under a README heading.
    private static string ReadmeBlock(string title)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Join(directory.FullName, "README.md")) || !Directory.Exists(Path.Join(directory.FullName, "src")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("README.md not found above the test assembly");
        }

        var lines = File.ReadAllLines(Path.Join(directory.FullName, "README.md"));
        var heading = Array.FindIndex(lines, l => l.EndsWith(title, StringComparison.Ordinal));
        var start = Array.FindIndex(lines, heading, l => l == "```yaml") + 1;
        var end = Array.FindIndex(lines, start, l => l == "```");
        return string.Join('\n', lines[start..end]) + "\n";
    }
}
