using Skillancer.Deploy.Sandbox.Kubernetes.Access;
using Skillancer.Deploy.Sandbox.Kubernetes.Api;
using Skillancer.Deploy.Sandbox.Kubernetes.Controller;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;
using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Kubernetes;

/// <summary>
/// The sandbox's cluster: the object store, the deployment controller running over it, and the API in
/// front of it, seeded with the scenario and settled before the first request.
/// </summary>
internal sealed class KubernetesCluster : IAsyncDisposable
{
    public KubernetesCluster(SandboxScenario scenario, TimeSpan rolloutStep, WatchSettings watchSettings)
    {
        Store = new ObjectStore();
        Controller = new DeploymentController(Store, rolloutStep);
        Api = new KubernetesApi(Store, Users, watchSettings);
        SeededRbac.SeedCluster(Store);
        ClusterSeeder.Seed(Store, scenario);
        Controller.Settle();
        Controller.Start();
    }

    public ObjectStore Store { get; }

    public DeploymentController Controller { get; }

    public KubernetesApi Api { get; }

    /// <summary>The users the API authenticates, each with a token of its own.</summary>
    public SandboxUsers Users { get; } = new();

    /// <summary>The deployer's bearer token: the one the default kubeconfig carries.</summary>
    public string Token => Users.Deployer.Token;

    public ValueTask DisposeAsync() => Controller.DisposeAsync();
}
