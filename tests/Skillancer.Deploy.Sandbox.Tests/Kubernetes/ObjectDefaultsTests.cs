using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Api;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Tests.Kubernetes;

/// <summary>The defaults the API server stores on a Deployment and its pod template (apps/v1 and core/v1 defaulting).</summary>
public class ObjectDefaultsTests
{
    [Theory]
    [InlineData("skillancer/web:v1.2.3", "IfNotPresent")]
    [InlineData("skillancer/web:latest", "Always")]
    [InlineData("skillancer/web", "Always")]
    [InlineData("registry.example.com:5000/web", "Always")]
    [InlineData("registry.example.com:5000/web:v1", "IfNotPresent")]
    [InlineData("skillancer/web@sha256:0f0e4b2a6d1c7e5b3a9f8d2c4e6a8b0d1f3e5c7a9b2d4f6e8a0c2e4a6b8d0f2e", "IfNotPresent")]
    [InlineData("skillancer/web:latest@sha256:0f0e4b2a6d1c7e5b3a9f8d2c4e6a8b0d1f3e5c7a9b2d4f6e8a0c2e4a6b8d0f2e", "Always")]
    public void The_image_pull_policy_is_Always_only_for_the_latest_tag_or_no_tag_at_all(string image, string policy)
    {
        var deployment = Deployment($$"""{"containers":[{"name":"web","image":"{{image}}"}]}""");

        ObjectDefaults.Apply(ResourceType.Deployments, deployment);

        Assert.Equal(policy, deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]!.GetValue<string>());
    }

    [Fact]
    public void A_bare_deployment_gets_every_default_a_real_server_stores()
    {
        var deployment = Deployment("""
            {"containers":[{"name":"web","image":"skillancer/web:v1","ports":[{"containerPort":8080}],
              "readinessProbe":{"httpGet":{"port":8080}},"livenessProbe":{"exec":{"command":["true"]},"timeoutSeconds":0},
              "startupProbe":{"grpc":{"port":9090}},"lifecycle":{"preStop":{"httpGet":{"path":"/drain","port":8080}}},
              "env":[{"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]}],
             "initContainers":[{"name":"init","image":"busybox"}],
             "volumes":[{"name":"scratch"},{"name":"config","configMap":{"name":"web"}},{"name":"keys","secret":{"secretName":"web"}}]}
            """);

        ObjectDefaults.Apply(ResourceType.Deployments, deployment);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"replicas":1,"revisionHistoryLimit":10,"progressDeadlineSeconds":600,
             "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
             "selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{
               "containers":[{"name":"web","image":"skillancer/web:v1","ports":[{"containerPort":8080,"protocol":"TCP"}],
                 "readinessProbe":{"httpGet":{"port":8080,"path":"/","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},
                 "livenessProbe":{"exec":{"command":["true"]},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},
                 "startupProbe":{"grpc":{"port":9090,"service":""},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},
                 "lifecycle":{"preStop":{"httpGet":{"path":"/drain","port":8080,"scheme":"HTTP"}}},
                 "env":[{"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name","apiVersion":"v1"}}}],
                 "imagePullPolicy":"IfNotPresent","terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","resources":{}}],
               "initContainers":[{"name":"init","image":"busybox","imagePullPolicy":"Always","terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","resources":{}}],
               "volumes":[{"name":"scratch","emptyDir":{}},{"name":"config","configMap":{"name":"web","defaultMode":420}},{"name":"keys","secret":{"secretName":"web","defaultMode":420}}],
               "dnsPolicy":"ClusterFirst","restartPolicy":"Always","terminationGracePeriodSeconds":30,"securityContext":{},"schedulerName":"default-scheduler"}}}
            """), deployment["spec"]), deployment["spec"]!.ToJsonString());
    }

    [Fact]
    public void What_the_client_set_is_kept()
    {
        var deployment = Deployment("""
            {"containers":[{"name":"dns","image":"coredns:1.11","imagePullPolicy":"Always","ports":[{"containerPort":53,"protocol":"UDP"}],
              "readinessProbe":{"tcpSocket":{"port":53},"timeoutSeconds":5,"periodSeconds":3,"failureThreshold":1}}],
             "dnsPolicy":"Default","terminationGracePeriodSeconds":0}
            """);

        ObjectDefaults.Apply(ResourceType.Deployments, deployment);

        var spec = deployment["spec"]!["template"]!["spec"]!;
        var container = spec["containers"]![0]!;
        Assert.Equal("Always", container["imagePullPolicy"]!.GetValue<string>());
        Assert.Equal("UDP", container["ports"]![0]!["protocol"]!.GetValue<string>());
        Assert.Equal("""{"tcpSocket":{"port":53},"timeoutSeconds":5,"periodSeconds":3,"failureThreshold":1,"successThreshold":1}""", container["readinessProbe"]!.ToJsonString());
        Assert.Equal("Default", spec["dnsPolicy"]!.GetValue<string>());
        Assert.Equal(0, spec["terminationGracePeriodSeconds"]!.GetValue<int>());
    }

    private static JsonObject Deployment(string podSpec) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = "web" },
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
                ["spec"] = JsonNode.Parse(podSpec),
            },
        },
    };
}
