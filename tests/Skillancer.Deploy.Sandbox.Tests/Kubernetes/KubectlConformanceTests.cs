using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Kubernetes;

/// <summary>The runbook's kubectl session, run with the real kubectl against the sandbox, as against a real cluster.</summary>
public class KubectlConformanceTests
{
    [Fact]
    public async Task Get_deployments_prints_the_table_a_real_server_sends()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var output = await sandbox.Kubectl.SucceedAsync("get", "deployments", "-n", "staging");

        var lines = output.Trim().Split('\n');
        Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$", lines[0].Trim());
        Assert.Equal(["api-gateway", "auth-svc", "market-svc", "skillpod-svc", "web"], lines.Skip(1).Select(l => l.Split(' ')[0]));
        Assert.All(lines.Skip(1), l => Assert.Matches(@"\s2/2\s+2\s+2\s+\d+s$", l));
    }

    [Fact]
    public async Task Get_deployments_as_json_gives_a_list_with_revision_status_and_conditions()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var list = JsonNode.Parse(await sandbox.Kubectl.SucceedAsync("get", "deployments", "-n", "staging", "-o", "json"))!;

        var gateway = list["items"]!.AsArray().Single(i => i!["metadata"]!["name"]!.GetValue<string>() == "api-gateway")!;
        Assert.Equal("List", list["kind"]!.GetValue<string>());
        Assert.Equal("apps/v1", gateway["apiVersion"]!.GetValue<string>());
        Assert.Equal("1", gateway["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>());
        Assert.Equal("skillancer/api-gateway:v1.2.2", gateway["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal(2, gateway["status"]!["availableReplicas"]!.GetValue<int>());
        Assert.Equal(gateway["metadata"]!["generation"]!.GetValue<int>(), gateway["status"]!["observedGeneration"]!.GetValue<int>());
        var conditions = gateway["status"]!["conditions"]!.AsArray();
        Assert.Equal("MinimumReplicasAvailable", conditions.Single(c => c!["type"]!.GetValue<string>() == "Available")!["reason"]!.GetValue<string>());
        Assert.Equal("NewReplicaSetAvailable", conditions.Single(c => c!["type"]!.GetValue<string>() == "Progressing")!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Set_image_and_rollout_status_roll_out_the_new_version()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var set = await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/api-gateway", "api-gateway=skillancer/api-gateway:v1.2.3", "-n", "staging");
        var status = await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/api-gateway", "-n", "staging", "--timeout=30s");
        var replicaSets = await sandbox.Kubectl.SucceedAsync("get", "replicasets", "-n", "staging", "-l", "app=api-gateway", "-o", "wide");

        Assert.Equal("deployment.apps/api-gateway image updated", set.Trim());
        Assert.EndsWith("deployment \"api-gateway\" successfully rolled out", status.Trim());
        Assert.Matches(@"api-gateway-\w+\s+2\s+2\s+2\s.*skillancer/api-gateway:v1\.2\.3", replicaSets);
        Assert.Matches(@"api-gateway-\w+\s+0\s+0\s+0\s.*skillancer/api-gateway:v1\.2\.2", replicaSets);
    }

    [Fact]
    public async Task Rollout_status_fails_when_a_broken_image_exceeds_its_progress_deadline()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await sandbox.Kubectl.SucceedAsync("patch", "deployment", "auth-svc", "-n", "staging", "-p", """{"spec":{"progressDeadlineSeconds":1}}""");

        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/auth-svc", "auth-svc=skillancer/auth-svc:v1.2.3-broken", "-n", "staging");
        var status = await sandbox.Kubectl.RunAsync("rollout", "status", "deployment/auth-svc", "-n", "staging", "--timeout=30s");
        var deployment = JsonNode.Parse(await sandbox.Kubectl.SucceedAsync("get", "deployment", "auth-svc", "-n", "staging", "-o", "json"))!;

        Assert.Equal(1, status.ExitCode);
        Assert.Contains("error: deployment \"auth-svc\" exceeded its progress deadline", status.Error, StringComparison.Ordinal);
        var progressing = deployment["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Progressing")!;
        Assert.Equal("False", progressing["status"]!.GetValue<string>());
        Assert.Equal("ProgressDeadlineExceeded", progressing["reason"]!.GetValue<string>());
        Assert.Equal(2, deployment["status"]!["availableReplicas"]!.GetValue<int>()); // the old pods keep serving
    }

    [Fact]
    public async Task Rollout_history_lists_revisions_with_their_change_causes()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        await DeployAsync(sandbox, "market-svc", "v1.2.3");
        await DeployAsync(sandbox, "market-svc", "v1.2.4");
        var history = await sandbox.Kubectl.SucceedAsync("rollout", "history", "deployment/market-svc", "-n", "staging");

        Assert.Equal(
            ["REVISION  CHANGE-CAUSE", "1         <none>", "2         deploy v1.2.3", "3         deploy v1.2.4"],
            history.Trim().Split('\n').Skip(1).Select(l => l.TrimEnd()));
    }

    [Fact]
    public async Task Rollout_undo_to_a_revision_reuses_its_ReplicaSet_as_a_real_cluster_does()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await DeployAsync(sandbox, "web", "v1.2.3");
        await DeployAsync(sandbox, "web", "v1.2.4");
        var replicaSetsBefore = await sandbox.Kubectl.SucceedAsync("get", "replicasets", "-n", "staging", "-l", "app=web", "-o", "name");

        var undo = await sandbox.Kubectl.SucceedAsync("rollout", "undo", "deployment/web", "-n", "staging", "--to-revision=2");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/web", "-n", "staging", "--timeout=30s");
        var history = await sandbox.Kubectl.SucceedAsync("rollout", "history", "deployment/web", "-n", "staging");
        var replicaSetsAfter = await sandbox.Kubectl.SucceedAsync("get", "replicasets", "-n", "staging", "-l", "app=web", "-o", "name");
        var image = await sandbox.Kubectl.SucceedAsync("get", "deployment", "web", "-n", "staging", "-o", "jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations}");

        Assert.Equal("deployment.apps/web rolled back", undo.Trim());
        Assert.Equal(["1", "3", "4"], Revisions(history));
        Assert.Equal(replicaSetsBefore, replicaSetsAfter); // no new ReplicaSet: revision 2's came back as 4
        Assert.StartsWith("skillancer/web:v1.2.3 ", image, StringComparison.Ordinal);
        Assert.Contains("\"kubernetes.io/change-cause\":\"deploy v1.2.3\"", image, StringComparison.Ordinal);

        await sandbox.Kubectl.SucceedAsync("rollout", "undo", "deployment/web", "-n", "staging");
        Assert.Equal(["1", "4", "5"], Revisions(await sandbox.Kubectl.SucceedAsync("rollout", "history", "deployment/web", "-n", "staging")));
    }

    [Fact]
    public async Task Rollout_undo_to_the_current_template_is_skipped()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await DeployAsync(sandbox, "web", "v1.2.3");

        var undo = await sandbox.Kubectl.SucceedAsync("rollout", "undo", "deployment/web", "-n", "staging", "--to-revision=2");

        Assert.Equal("deployment.apps/web skipped rollback (current template already matches revision 2)", undo.Trim());
    }

    [Fact]
    public async Task A_virtual_service_takes_a_merge_patch_and_prints_as_yaml()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var patch = await sandbox.Kubectl.SucceedAsync(
            "patch", "virtualservice", "web", "-n", "staging", "--type", "merge", "-p",
            """{"spec":{"http":[{"route":[{"destination":{"host":"web","subset":"stable"},"weight":90},{"destination":{"host":"web","subset":"canary"},"weight":10}]}]}}""");
        var yaml = await sandbox.Kubectl.SucceedAsync("get", "virtualservice", "web", "-n", "staging", "-o", "yaml");

        Assert.Equal("virtualservice.networking.istio.io/web patched", patch.Trim());
        Assert.Contains("apiVersion: networking.istio.io/v1\nkind: VirtualService\n", yaml, StringComparison.Ordinal);
        Assert.Contains("  generation: 2\n", yaml, StringComparison.Ordinal);
        Assert.Matches(@"subset: stable\n\s+weight: 90\n[\s\S]*subset: canary\n\s+weight: 10\n", yaml);
    }

    [Fact]
    public async Task A_strategic_merge_patch_on_a_custom_resource_is_refused_as_a_real_server_refuses_it()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var patch = await sandbox.Kubectl.RunAsync("patch", "virtualservice", "web", "-n", "staging", "-p", """{"spec":{"hosts":["web"]}}""");

        Assert.NotEqual(0, patch.ExitCode);
        Assert.Contains("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json", patch.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_deployment_is_NotFound()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var get = await sandbox.Kubectl.RunAsync("get", "deployment", "payments", "-n", "staging");

        Assert.Equal(1, get.ExitCode);
        Assert.Equal("Error from server (NotFound): deployments.apps \"payments\" not found", get.Error.Trim());
    }

    [Fact]
    public async Task Replacing_with_a_stale_resourceVersion_is_a_Conflict()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var stale = Path.Join(sandbox.Directory, "stale.json");
        await File.WriteAllTextAsync(stale, await sandbox.Kubectl.SucceedAsync("get", "deployment", "skillpod-svc", "-n", "staging", "-o", "json"));
        await sandbox.Kubectl.SucceedAsync("label", "deployment", "skillpod-svc", "-n", "staging", "team=marketplace");

        var replace = await sandbox.Kubectl.RunAsync("replace", "-f", stale);

        Assert.Equal(1, replace.ExitCode);
        Assert.Contains("Error from server (Conflict)", replace.Error, StringComparison.Ordinal);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", replace.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_apply_and_delete_work_on_a_namespace_of_the_tests_own()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var manifest = Path.Join(sandbox.Directory, "demo.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: scratch
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
              namespace: scratch
            spec:
              replicas: 3
              selector: {matchLabels: {app: demo}}
              template:
                metadata: {labels: {app: demo}}
                spec:
                  containers: [{name: demo, image: "skillancer/demo:v1"}]
            """);

        Assert.Contains("deployment.apps/demo created", await sandbox.Kubectl.SucceedAsync("apply", "-f", manifest), StringComparison.Ordinal);
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/demo", "-n", "scratch", "--timeout=30s");
        Assert.Equal("deployment.apps/demo scaled", (await sandbox.Kubectl.SucceedAsync("scale", "deployment/demo", "-n", "scratch", "--replicas=1")).Trim());
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/demo", "-n", "scratch", "--timeout=30s");
        Assert.Matches(@"demo\s+1/1\s+1\s+1\s", await sandbox.Kubectl.SucceedAsync("get", "deployment", "demo", "-n", "scratch"));

        await sandbox.Kubectl.SucceedAsync("delete", "namespace", "scratch");
        var gone = await sandbox.Kubectl.RunAsync("get", "deployment", "demo", "-n", "scratch");
        Assert.Contains("(NotFound)", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_shows_ports_and_probes_with_the_API_servers_defaults()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var manifest = Path.Join(sandbox.Directory, "bare.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: bare
              namespace: staging
            spec:
              selector: {matchLabels: {app: bare}}
              template:
                metadata: {labels: {app: bare}}
                spec:
                  containers:
                  - name: bare
                    image: skillancer/bare
                    ports: [{containerPort: 8080}]
                    readinessProbe: {httpGet: {path: /ready, port: 8080}}
            """);

        await sandbox.Kubectl.SucceedAsync("create", "-f", manifest);
        var bare = await sandbox.Kubectl.SucceedAsync("describe", "deployment", "bare", "-n", "staging");
        var seeded = await sandbox.Kubectl.SucceedAsync("describe", "deployment", "web", "-n", "staging");
        var yaml = await sandbox.Kubectl.SucceedAsync("get", "deployment", "bare", "-n", "staging", "-o", "yaml");

        Assert.Matches(@"\n\s+Port:\s+8080/TCP\n", bare);
        Assert.Matches(@"\n\s+Readiness:\s+http-get http://:8080/ready delay=0s timeout=1s period=10s #success=1 #failure=3\n", bare);
        Assert.Matches(@"\n\s+Readiness:\s+http-get http://:http/api/health delay=0s timeout=1s period=10s #success=1 #failure=3\n", seeded);
        Assert.Matches(@"\nReplicas:\s+1 desired", bare);
        foreach (var line in new[]
        {
            "imagePullPolicy: Always", "terminationMessagePath: /dev/termination-log", "terminationMessagePolicy: File",
            "dnsPolicy: ClusterFirst", "restartPolicy: Always", "schedulerName: default-scheduler", "securityContext: {}",
            "terminationGracePeriodSeconds: 30", "progressDeadlineSeconds: 600", "revisionHistoryLimit: 10", "protocol: TCP", "scheme: HTTP",
        })
        {
            Assert.Contains(line + "\n", yaml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_json_patch_test_that_fails_prints_why_and_changes_nothing()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var patch = await sandbox.Kubectl.RunAsync("patch", "deployment", "web", "-n", "staging", "--type", "json", "-p",
            """[{"op":"test","path":"/spec/replicas","value":7},{"op":"replace","path":"/spec/replicas","value":3}]""");
        var replicas = await sandbox.Kubectl.SucceedAsync("get", "deployment", "web", "-n", "staging", "-o", "jsonpath={.spec.replicas}");

        Assert.Equal(1, patch.ExitCode);
        Assert.Equal("The request is invalid: patch: testing value /spec/replicas failed: test failed (the value is 2, the test wants 7)", patch.Error.Trim());
        Assert.Equal("2", replicas);
    }

    // What the runbook does: record the cause, set the image, wait for the rollout.
    private static async Task DeployAsync(KubeSandbox sandbox, string service, string version)
    {
        await sandbox.Kubectl.SucceedAsync("set", "image", $"deployment/{service}", $"{service}=skillancer/{service}:{version}", "-n", "staging");
        await sandbox.Kubectl.SucceedAsync("annotate", $"deployment/{service}", "-n", "staging", "--overwrite", $"kubernetes.io/change-cause=deploy {version}");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", $"deployment/{service}", "-n", "staging", "--timeout=30s");
    }

    private static List<string> Revisions(string history) =>
        history.Trim().Split('\n').Skip(2).Select(l => l.Split(' ')[0]).ToList();
}
