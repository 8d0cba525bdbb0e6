using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Hosting;

namespace Skillancer.Deploy.Sandbox.Tests.Infrastructure;

/// <summary>
/// A sandbox of a test's own, with a fast rollout pace, and the real kubectl pointed at it. Each test
/// starts one, so tests never see each other's deployments. <see cref="Kubectl"/> and <see cref="Api"/> act as the
/// sandbox's admin (system:masters), as fixtures do; <see cref="KubectlAs"/> and <see cref="ApiAs"/> as one of its users.
/// </summary>
public sealed class KubeSandbox : IAsyncDisposable
{
    private readonly string _directory;

    private KubeSandbox(string directory, SandboxHost host)
    {
        _directory = directory;
        Host = host;
        Kubectl = KubectlAs("admin");
        Admin = new HttpClient { BaseAddress = host.BaseUrl };
        Api = ApiAs("admin");
    }

    /// <summary>A client for the Kubernetes API: TLS verified against the sandbox's CA, with its bearer token.</summary>
    public HttpClient Api { get; }

    internal SandboxHost Host { get; }

    public Kubectl Kubectl { get; }

    /// <summary>A client for the plain HTTP listener: services, metrics and the admin API.</summary>
    public HttpClient Admin { get; }

    public string Directory => _directory;

    public static async Task<KubeSandbox> StartAsync(double rolloutStepSeconds = 0.05, string? scenario = null)
    {
        var directory = Path.Join(Path.GetTempPath(), "skdeploy-kube-" + Guid.NewGuid().ToString("N")[..8]);
        var host = await SandboxHost.StartAsync(new SandboxOptions(directory)
        {
            RolloutStep = TimeSpan.FromSeconds(rolloutStepSeconds),
            BookmarkInterval = TimeSpan.FromMilliseconds(200),
            ScenarioPath = scenario,
        });
        return new KubeSandbox(directory, host);
    }

    /// <summary>The collection URL of the staging namespace's deployments, relative to the API server.</summary>
    public const string StagingDeployments = "apis/apps/v1/namespaces/staging/deployments";

    /// <summary>Sends a JSON merge patch and returns the object the server answers with.</summary>
    public async Task<JsonObject> MergePatchAsync(string path, string patch)
    {
        using var response = await Api.PatchAsync(path, new StringContent(patch, Encoding.UTF8, "application/merge-patch+json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The resourceVersion a list of the collection is consistent with: where a watch resumes.</summary>
    public async Task<long> ListVersionAsync(string collection = StagingDeployments)
    {
        var list = await Api.GetFromJsonAsync<JsonObject>(collection);
        return long.Parse(list!["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    /// <summary>The mutating requests the sandbox has served since the log was last cleared.</summary>
    public async Task<IReadOnlyList<JsonObject>> MutatingRequestsAsync() =>
        (await Admin.GetFromJsonAsync<JsonArray>("sandbox/requests?mutating=true"))!.OfType<JsonObject>().ToList();

    /// <summary>The real kubectl with one user's kubeconfig: deployer, approver, viewer or admin.</summary>
    public Kubectl KubectlAs(string role) => new(Host.Kubeconfigs[role], Path.Join(_directory, "kubectl-cache-" + role));

    /// <summary>A client for the Kubernetes API with one user's bearer token: deployer, approver, viewer or admin.</summary>
    public HttpClient ApiAs(string role) => ApiClient(Host, Host.Cluster.Users.All.Single(u => u.Role == role).Token);

    private static HttpClient ApiClient(SandboxHost host, string token)
    {
        var authority = X509CertificateLoader.LoadCertificate(host.Certificate.Authority.RawData);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = host.ApiServer };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Admin.Dispose();
        await Host.DisposeAsync();
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}
