using System.Security.Cryptography;
using System.Text;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>
/// The Kubernetes API's URL space: discovery, /version, health probes and the resources. It answers only
/// on the HTTPS listener and only with the bearer token the sandbox's kubeconfig carries.
/// </summary>
internal sealed class KubernetesApi(ObjectStore store, string token, WatchSettings watchSettings)
{
    private static readonly string[] Patterns = ["/api", "/api/{**rest}", "/apis", "/apis/{**rest}", "/version", "/openapi/{**rest}", "/healthz", "/livez", "/readyz"];

    private readonly ResourceHandler _resources = new(store, watchSettings);
    private readonly byte[] _token = Encoding.UTF8.GetBytes("Bearer " + token);

    public void Map(WebApplication app)
    {
        foreach (var pattern in Patterns)
        {
            app.Map(pattern, HandleAsync);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.Request.IsHttps)
        {
            await KubeResponse.FailAsync(context, KubeStatus.BadRequest("the Kubernetes API is served over HTTPS; use the sandbox's kubeconfig"));
            return;
        }

        if (!Authorized(context.Request))
        {
            await KubeResponse.FailAsync(context, KubeStatus.Unauthorized());
            return;
        }

        try
        {
            await DispatchAsync(context);
        }
        catch (KubeException e) when (!context.Response.HasStarted)
        {
            await KubeResponse.FailAsync(context, e.Status);
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (path is "/healthz" or "/livez" or "/readyz")
        {
            await context.Response.WriteAsync("ok");
            return;
        }

        if (path == "/openapi/v2")
        {
            await OpenApi.WriteVersion2Async(context);
            return;
        }

        var document = (context.Request.Method, segments) switch
        {
            ("GET", ["version"]) => Discovery.Version(),
            ("GET", ["api"]) => Discovery.CoreVersions($"{context.Request.Host.Host}:{context.Request.Host.Port}"),
            ("GET", ["api", var version]) => Discovery.Resources("", version),
            ("GET", ["apis"]) => Discovery.Groups(),
            ("GET", ["apis", var group]) => Discovery.Group(group),
            ("GET", ["apis", var group, var version]) => Discovery.Resources(group, version),
            ("GET", ["openapi", "v3"]) => OpenApi.Index(),
            ("GET", ["openapi", "v3", .. var rest]) => OpenApi.Document(string.Join('/', rest)) ?? throw new KubeException(KubeStatus.PathNotFound()),
            _ => null,
        };
        if (document is not null)
        {
            await KubeResponse.WriteAsync(context, 200, document);
            return;
        }

        var resource = ApiPath.Parse(path) ?? throw new KubeException(KubeStatus.PathNotFound());
        await _resources.HandleAsync(context, resource);
    }

    private bool Authorized(HttpRequest request)
    {
        var header = Encoding.UTF8.GetBytes(request.Headers.Authorization.ToString());
        return CryptographicOperations.FixedTimeEquals(header, _token);
    }
}
