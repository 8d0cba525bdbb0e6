using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Controller;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;
using Skillancer.Deploy.Sandbox.Scenario;
using Skillancer.Deploy.Sandbox.Services;

namespace Skillancer.Deploy.Sandbox.Tests.Infrastructure;

/// <summary>
/// The services' traffic of the default scenario on a manual clock, running in staging the pods a test
/// gives it and routed by the VirtualService weights it sets: exact counts, without a cluster or waiting.
/// </summary>
internal sealed class TrafficRig
{
    /// <summary>A quarter past a whole second, so that steps of whole seconds straddle the noise's ticks.</summary>
    private static readonly DateTimeOffset Start = new(2026, 1, 6, 14, 0, 0, 250, TimeSpan.Zero);

    private long _version = 1000;

    /// <summary>A rig whose pods each serve <paramref name="requestsPerPodPerSecond"/> requests per second.</summary>
    public TrafficRig(double requestsPerPodPerSecond = ServiceTraffic.DefaultRequestsPerPodPerSecond)
    {
        Clock = new ManualClock(Start);
        Traffic = new ServiceTraffic(SandboxScenario.Default(), requestsPerPodPerSecond, Clock);
    }

    /// <summary>The clock the traffic counts by: it moves only when the test moves it.</summary>
    public ManualClock Clock { get; }

    /// <summary>The traffic under test.</summary>
    public ServiceTraffic Traffic { get; }

    /// <summary>Runs exactly these deployments in staging: each with one ReplicaSet of <c>Ready</c> ready pods of <c>Image</c>.</summary>
    public void Run(params (string Deployment, string Image, int Ready)[] deployments) =>
        Traffic.Follow(new ClusterSnapshot(deployments.ToDictionary(
            d => ("staging", d.Deployment),
            d => (IReadOnlyList<PodGroup>)(d.Ready == 0 ? [] : [new PodGroup($"{d.Deployment}-1", [d.Image], ImageRules.Classify(d.Image), d.Ready)]))));

    /// <summary>Gives the canary subset of staging's web VirtualService <paramref name="canaryWeight"/>% as a store change would (stable the rest).</summary>
    public void Route(int canaryWeight) => Route(canaryWeight, ++_version);

    /// <summary>As <see cref="Route(int)"/>, as of the store's <paramref name="resourceVersion"/>.</summary>
    public void Route(int canaryWeight, long resourceVersion) =>
        Traffic.Follow(new WatchEvent(resourceVersion, "MODIFIED", ResourceType.VirtualServices, "staging", VirtualService(100 - canaryWeight, canaryWeight)));

    /// <summary>Moves the clock on and reads the metrics.</summary>
    public MetricsText Step(double seconds)
    {
        Clock.Advance(TimeSpan.FromSeconds(seconds));
        return Metrics();
    }

    /// <summary>The metrics now, as /metrics answers them.</summary>
    public MetricsText Metrics() => MetricsText.Parse(Traffic.Metrics(null));

    /// <summary>A good image of a service at v1.2.2, or with a tag suffix (-slow, -erroring, ...).</summary>
    public static string Image(string service, string suffix = "") => $"skillancer/{service}:v1.2.2{suffix}";

    private static JsonObject VirtualService(int stable, int canary) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "staging" },
        ["spec"] = new JsonObject
        {
            ["hosts"] = new JsonArray("web"),
            ["http"] = new JsonArray(new JsonObject
            {
                ["route"] = new JsonArray(
                    new JsonObject { ["destination"] = new JsonObject { ["host"] = "web", ["subset"] = "stable" }, ["weight"] = stable },
                    new JsonObject { ["destination"] = new JsonObject { ["host"] = "web", ["subset"] = "canary" }, ["weight"] = canary }),
            }),
        },
    };
}
