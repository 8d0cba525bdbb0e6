using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Api;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Scenario;

/// <summary>
/// Puts the scenario into the cluster: a namespace per environment, a two-replica Deployment per service at
/// the initial version, and for services with a canary the Istio VirtualService and DestinationRule that
/// send all traffic to the stable subset.
/// </summary>
internal static class ClusterSeeder
{
    public const int Replicas = 2;

    public static void Seed(ObjectStore store, SandboxScenario scenario)
    {
        foreach (var environment in scenario.Environments)
        {
            SeedEnvironment(store, scenario, environment, environment.Namespace, 600);
        }
    }

    /// <summary>
    /// Seeds one environment's services into <paramref name="ns"/>, which must not exist yet: how each
    /// test gets a namespace of its own. A short <paramref name="progressDeadlineSeconds"/> lets a test see a broken rollout fail quickly.
    /// </summary>
    public static void SeedEnvironment(ObjectStore store, SandboxScenario scenario, ScenarioEnvironment environment, string ns, int progressDeadlineSeconds)
    {
        store.Create(ResourceType.Namespaces, null, Namespace(ns));
        Kubernetes.Access.SeededRbac.SeedNamespace(store, ns);
        foreach (var service in environment.Services)
        {
            var deployment = Deployment(ns, service, scenario.InitialImage(service), progressDeadlineSeconds);
            ObjectDefaults.Apply(ResourceType.Deployments, deployment); // as the API server would on a create
            store.Create(ResourceType.Deployments, ns, deployment);
            if (service.Canary is { } canary)
            {
                store.Create(ResourceType.VirtualServices, ns, VirtualService(ns, service, canary));
                store.Create(ResourceType.DestinationRules, ns, DestinationRule(ns, service, canary));
            }
        }
    }

    private static JsonObject Namespace(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name } },
        ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
        ["status"] = new JsonObject { ["phase"] = "Active" },
    };

    private static JsonObject Deployment(string ns, ScenarioService service, string image, int progressDeadlineSeconds) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = service.Deployment,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { ["app"] = service.Deployment, ["tier"] = service.Tier },
        },
        ["spec"] = new JsonObject
        {
            ["replicas"] = Replicas,
            ["revisionHistoryLimit"] = 10,
            ["progressDeadlineSeconds"] = progressDeadlineSeconds,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = service.Deployment } },
            ["strategy"] = new JsonObject
            {
                ["type"] = "RollingUpdate",
                ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" },
            },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["labels"] = new JsonObject { ["app"] = service.Deployment, ["track"] = service.Canary?.StableSubset ?? "stable" },
                },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = service.Container,
                        ["image"] = image,
                        ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["name"] = "http", ["protocol"] = "TCP" }),
                        ["readinessProbe"] = new JsonObject
                        {
                            ["httpGet"] = new JsonObject { ["path"] = service.HealthPath, ["port"] = "http" },
                        },
                        ["resources"] = new JsonObject(),
                        ["imagePullPolicy"] = "IfNotPresent",
                        ["terminationMessagePath"] = "/dev/termination-log",
                        ["terminationMessagePolicy"] = "File",
                    }),
                    ["restartPolicy"] = "Always",
                    ["terminationGracePeriodSeconds"] = 30,
                    ["dnsPolicy"] = "ClusterFirst",
                    ["schedulerName"] = "default-scheduler",
                    ["securityContext"] = new JsonObject(),
                },
            },
        },
    };

    private static JsonObject VirtualService(string ns, ScenarioService service, ScenarioCanary canary) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = canary.VirtualService, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["hosts"] = new JsonArray(service.Deployment),
            ["http"] = new JsonArray(new JsonObject
            {
                ["route"] = new JsonArray(
                    Route(service.Deployment, canary.StableSubset, 100),
                    Route(service.Deployment, canary.CanarySubset, 0)),
            }),
        },
    };

    private static JsonObject Route(string host, string subset, int weight) => new()
    {
        ["destination"] = new JsonObject { ["host"] = host, ["subset"] = subset },
        ["weight"] = weight,
    };

    private static JsonObject DestinationRule(string ns, ScenarioService service, ScenarioCanary canary) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = canary.VirtualService, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["host"] = service.Deployment,
            ["subsets"] = new JsonArray(
                new JsonObject { ["name"] = canary.StableSubset, ["labels"] = new JsonObject { ["track"] = canary.StableSubset } },
                new JsonObject { ["name"] = canary.CanarySubset, ["labels"] = new JsonObject { ["track"] = canary.CanarySubset } }),
        },
    };
}
