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
        Token = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Store = new ObjectStore();
        Controller = new DeploymentController(Store, rolloutStep);
        Api = new KubernetesApi(Store, Token, watchSettings);
        ClusterSeeder.Seed(Store, scenario);
        Controller.Settle();
        Controller.Start();
    }

    public ObjectStore Store { get; }

    public DeploymentController Controller { get; }

    public KubernetesApi Api { get; }

    /// <summary>The bearer token the API accepts; the kubeconfig carries it.</summary>
    public string Token { get; }

    public ValueTask DisposeAsync() => Controller.DisposeAsync();
}
