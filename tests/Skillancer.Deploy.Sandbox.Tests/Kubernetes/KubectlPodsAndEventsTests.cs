using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Kubernetes;

/// <summary>The controller's pods and the controllers' and kubelet's events, as the real kubectl shows them.</summary>
public partial class KubectlPodsAndEventsTests
{
    private const string Pods = "api/v1/namespaces/staging/pods";

    [Fact]
    public async Task Get_pods_prints_the_columns_a_real_server_sends_for_every_running_pod()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var output = await sandbox.Kubectl.SucceedAsync("get", "pods", "-n", "staging");
        var wide = await sandbox.Kubectl.SucceedAsync("get", "pods", "-n", "staging", "-l", "app=web", "-o", "wide");

        var lines = output.Trim().Split('\n');
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", lines[0].Trim());
        Assert.Equal(10, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Matches(@"^(api-gateway|auth-svc|market-svc|skillpod-svc|web)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\s+1/1\s+Running\s+0\s+\d+s$", l.Trim()));
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n", wide);
        Assert.Matches(@"\s10\.244\.\d+\.\d+\s+skillancer-sandbox\s+<none>\s+<none>\n", wide);
    }

    [Fact]
    public async Task A_pod_carries_its_template_hash_an_owner_reference_to_its_ReplicaSet_and_a_ready_status()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var replicaSet = JsonNode.Parse(await sandbox.Kubectl.SucceedAsync("get", "replicasets", "-n", "staging", "-l", "app=market-svc", "-o", "json"))!["items"]![0]!;
        var pods = JsonNode.Parse(await sandbox.Kubectl.SucceedAsync("get", "pods", "-n", "staging", "-l", "app=market-svc", "-o", "json"))!["items"]!.AsArray();

        Assert.Equal(2, pods.Count);
        var pod = pods[0]!;
        var hash = replicaSet["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>();
        Assert.Equal("v1", pod["apiVersion"]!.GetValue<string>());
        Assert.Equal("Pod", pod["kind"]!.GetValue<string>());
        Assert.Equal(hash, pod["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>());
        Assert.StartsWith(replicaSet["metadata"]!["name"]!.GetValue<string>() + "-", pod["metadata"]!["name"]!.GetValue<string>(), StringComparison.Ordinal);
        var owner = pod["metadata"]!["ownerReferences"]!.AsArray().Single()!;
        Assert.Equal("ReplicaSet", owner["kind"]!.GetValue<string>());
        Assert.Equal(replicaSet["metadata"]!["name"]!.GetValue<string>(), owner["name"]!.GetValue<string>());
        Assert.Equal(replicaSet["metadata"]!["uid"]!.GetValue<string>(), owner["uid"]!.GetValue<string>());
        Assert.True(owner["controller"]!.GetValue<bool>());
        Assert.Equal("Running", pod["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("True", Condition(pod, "Ready"));
        Assert.Equal("True", Condition(pod, "ContainersReady"));
        var container = pod["status"]!["containerStatuses"]![0]!;
        Assert.True(container["ready"]!.GetValue<bool>());
        Assert.True(container["started"]!.GetValue<bool>());
        Assert.Equal(0, container["restartCount"]!.GetValue<int>());
        Assert.NotNull(container["state"]!["running"]!["startedAt"]);
        Assert.Equal("skillancer/market-svc:v1.2.2", container["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_broken_image_crash_loops_and_counts_its_restarts_as_the_kubelet_reports_it()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/auth-svc", "auth-svc=skillancer/auth-svc:v1.2.3-broken", "-n", "staging");
        var listed = await Eventually.ReadAsync(
            () => sandbox.Kubectl.SucceedAsync("get", "pods", "-n", "staging", "-l", "app=auth-svc"),
            output => BrokenLine().IsMatch(output));
        var crashed = await Eventually.ReadAsync(
            async () => (await sandbox.Api.GetFromJsonAsync<JsonObject>($"{Pods}?labelSelector=app%3Dauth-svc"))!["items"]!.AsArray()
                .FirstOrDefault(p => p!["status"]!["containerStatuses"]![0]!["state"]!["waiting"]?["reason"]?.GetValue<string>() == "CrashLoopBackOff"
                    && p["status"]!["containerStatuses"]![0]!["restartCount"]!.GetValue<int>() > 0),
            pod => pod is not null);

        Assert.Matches(BrokenLine(), listed);
        Assert.Equal(3, listed.Trim().Split('\n').Length - 1); // the two old pods keep running beside it
        Assert.NotNull(crashed);
        var name = crashed["metadata"]!["name"]!.GetValue<string>();
        var status = crashed["status"]!["containerStatuses"]![0]!;
        Assert.Equal("Running", crashed["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("False", Condition(crashed, "Ready"));
        Assert.False(status["ready"]!.GetValue<bool>());
        Assert.Matches(
            $@"^back-off \d+(ms|s|m\d+s) restarting failed container=auth-svc pod={name}_staging\({crashed["metadata"]!["uid"]!.GetValue<string>()}\)$",
            status["state"]!["waiting"]!["message"]!.GetValue<string>());
        Assert.Equal(1, status["lastState"]!["terminated"]!["exitCode"]!.GetValue<int>());
        Assert.Equal("Error", status["lastState"]!["terminated"]!["reason"]!.GetValue<string>());

        var described = await sandbox.Kubectl.SucceedAsync("describe", "pod", name, "-n", "staging");
        Assert.Matches(@"Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1\n", described);
        Assert.Matches($@"Warning\s+BackOff\s+.+\s+kubelet\s+Back-off restarting failed container auth-svc in pod {name}_staging\(", described);
    }

    [Fact]
    public async Task Describe_deployment_lists_the_ScalingReplicaSet_events_of_its_rollout()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var before = ReplicaSetName(await sandbox.Kubectl.SucceedAsync("get", "replicasets", "-n", "staging", "-l", "app=api-gateway", "-o", "name"));

        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/api-gateway", "api-gateway=skillancer/api-gateway:v1.2.3", "-n", "staging");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/api-gateway", "-n", "staging", "--timeout=30s");
        var after = (await sandbox.Kubectl.SucceedAsync("get", "replicasets", "-n", "staging", "-l", "app=api-gateway", "-o", "name"))
            .Trim().Split('\n').Select(ReplicaSetName).Single(n => n != before);
        var described = await sandbox.Kubectl.SucceedAsync("describe", "deployment", "api-gateway", "-n", "staging");

        var events = described[described.IndexOf("Events:", StringComparison.Ordinal)..];
        Assert.Matches(@"Type\s+Reason\s+Age\s+From\s+Message", events);
        Assert.All(
            [
                $"Scaled up replica set {before} to 2",
                $"Scaled up replica set {after} to 1",
                $"Scaled down replica set {before} to 1 from 2",
                $"Scaled up replica set {after} to 2 from 1",
                $"Scaled down replica set {before} to 0 from 1",
            ],
            message => Assert.Matches($@"Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+{Regex.Escape(message)}\n", events));
    }

    [Fact]
    public async Task Pods_go_away_when_their_ReplicaSet_scales_down_and_the_replica_set_controller_says_so()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var before = ReplicaSetName(await sandbox.Kubectl.SucceedAsync("get", "replicasets", "-n", "staging", "-l", "app=web", "-o", "name"));
        var oldPods = PodNames(await sandbox.Kubectl.SucceedAsync("get", "pods", "-n", "staging", "-l", "app=web", "-o", "name"));

        await sandbox.Kubectl.SucceedAsync("set", "image", "deployment/web", "web=skillancer/web:v1.2.3", "-n", "staging");
        await sandbox.Kubectl.SucceedAsync("rollout", "status", "deployment/web", "-n", "staging", "--timeout=30s");
        var newPods = await Eventually.ReadAsync(
            async () => PodNames(await sandbox.Kubectl.SucceedAsync("get", "pods", "-n", "staging", "-l", "app=web", "-o", "name")),
            pods => pods.Count == 2 && !pods.Intersect(oldPods).Any());
        await sandbox.Kubectl.SucceedAsync("scale", "deployment/web", "-n", "staging", "--replicas=1");
        var scaled = await Eventually.ReadAsync(
            async () => PodNames(await sandbox.Kubectl.SucceedAsync("get", "pods", "-n", "staging", "-l", "app=web", "-o", "name")),
            pods => pods.Count == 1);
        var oldReplicaSet = await sandbox.Kubectl.SucceedAsync("describe", "replicaset", before, "-n", "staging");

        Assert.Equal(2, newPods.Count);
        Assert.Empty(newPods.Intersect(oldPods));
        Assert.Single(scaled);
        Assert.Contains(scaled.Single(), newPods);
        Assert.Matches(@"Replicas:\s+0 current / 0 desired", oldReplicaSet);
        Assert.All(oldPods, pod => Assert.Matches($@"Normal\s+SuccessfulCreate\s+\S+\s+replicaset-controller\s+Created pod: {pod}\n", oldReplicaSet));
        Assert.All(oldPods, pod => Assert.Matches($@"Normal\s+SuccessfulDelete\s+\S+\s+replicaset-controller\s+Deleted pod: {pod}\n", oldReplicaSet));
    }

    [Fact]
    public async Task Pods_are_read_only_and_kubectl_says_why_a_write_is_refused()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var pod = PodNames(await sandbox.Kubectl.SucceedAsync("get", "pods", "-n", "staging", "-l", "app=web", "-o", "name"))[0];

        var delete = await sandbox.Kubectl.RunAsync("delete", "pod", pod, "-n", "staging");
        var label = await sandbox.Kubectl.RunAsync("label", "pod", pod, "-n", "staging", "team=ops");
        var still = await sandbox.Kubectl.SucceedAsync("get", "pod", pod, "-n", "staging", "-o", "name");

        Assert.Equal(1, delete.ExitCode);
        Assert.StartsWith("Error from server (MethodNotAllowed): pods are read-only in the Skillancer sandbox", delete.Error.Trim(), StringComparison.Ordinal);
        Assert.Contains("so DELETE is not allowed; scale, roll out or roll back the deployment instead", delete.Error, StringComparison.Ordinal);
        Assert.Equal(1, label.ExitCode);
        Assert.Contains("(MethodNotAllowed)", label.Error, StringComparison.Ordinal);
        Assert.Equal($"pod/{pod}", still.Trim());
    }

    [Fact]
    public async Task Get_events_prints_the_columns_a_real_server_sends()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var output = await sandbox.Kubectl.SucceedAsync("get", "events", "-n", "staging");
        var wide = await sandbox.Kubectl.SucceedAsync("get", "events", "-n", "staging", "-o", "wide", "--field-selector", "involvedObject.kind=Deployment,involvedObject.name=web");

        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n", output);
        Assert.Matches(@"\n\d+s\s+Normal\s+ScalingReplicaSet\s+deployment/web\s+Scaled up replica set web-\w+ to 2\n", output);
        Assert.Matches(@"\n\d+s\s+Normal\s+SuccessfulCreate\s+replicaset/web-\w+\s+Created pod: web-\w+-\w{5}\n", output);
        var lines = wide.Trim().Split('\n');
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME$", lines[0]);
        Assert.Matches(@"^\d+s\s+Normal\s+ScalingReplicaSet\s+deployment/web\s+deployment-controller\s+Scaled up replica set web-\w+ to 2\s+\d+s\s+1\s+web\.[0-9a-f]+$", Assert.Single(lines.Skip(1)));
    }

    [Fact]
    public async Task Pods_can_be_selected_by_phase_and_an_unknown_field_is_refused()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var running = await sandbox.Kubectl.SucceedAsync("get", "pods", "-n", "staging", "--field-selector", "status.phase=Running,spec.nodeName=skillancer-sandbox", "-o", "name");
        var pending = await sandbox.Kubectl.RunAsync("get", "pods", "-n", "staging", "--field-selector", "status.phase=Pending");
        var unknown = await sandbox.Kubectl.RunAsync("get", "pods", "-n", "staging", "--field-selector", "spec.color=blue");

        Assert.Equal(10, running.Trim().Split('\n').Length);
        Assert.Equal(0, pending.ExitCode);
        Assert.Equal("No resources found in staging namespace.", pending.Error.Trim());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("field label not supported: spec.color", unknown.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\nauth-svc-\w+-\w{5}\s+0/1\s+CrashLoopBackOff\s+[1-9]\d* \(\d+\w* ago\)\s+\d+s\n")]
    private static partial Regex BrokenLine();

    private static string? Condition(JsonNode pod, string type) =>
        pod["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == type)!["status"]!.GetValue<string>();

    private static string ReplicaSetName(string name) => name.Trim().Replace("replicaset.apps/", "", StringComparison.Ordinal);

    private static List<string> PodNames(string output) =>
        output.Trim().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Replace("pod/", "", StringComparison.Ordinal)).ToList();
}
