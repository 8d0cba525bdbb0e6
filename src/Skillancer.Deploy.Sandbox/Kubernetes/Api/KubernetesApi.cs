using Skillancer.Deploy.Sandbox.Kubernetes.Access;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>
/// The Kubernetes API's URL space: discovery, /version, health probes and the resources. It answers only
/// on the HTTPS listener and only with the bearer token of one of the sandbox's users; every request is
/// then authorized by <see cref="RbacAuthorizer"/> against the RBAC objects in the store, and refused with the
/// real server's 403 Forbidden otherwise.
/// </summary>
internal sealed class KubernetesApi(ObjectStore store, SandboxUsers users, WatchSettings watchSettings)
{
    private static readonly string[] Patterns = ["/api", "/api/{**rest}", "/apis", "/apis/{**rest}", "/version", "/openapi/{**rest}", "/healthz", "/livez", "/readyz"];

    private readonly ResourceHandler _resources = new(store, watchSettings);
    private readonly RbacAuthorizer _authorizer = new(store);

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

        if (users.Authenticate(context.Request.Headers.Authorization.ToString()) is not { } user)
        {
            await KubeResponse.FailAsync(context, KubeStatus.Unauthorized());
            return;
        }

        try
        {
            await DispatchAsync(context, user);
        }
        catch (KubeException e) when (!context.Response.HasStarted)
        {
            await KubeResponse.FailAsync(context, e.Status);
        }
    }

    private async Task DispatchAsync(HttpContext context, SandboxUser user)
    {
        var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = ApiPath.Parse(path);
        Authorize(resource is null
            ? new RequestAttributes(user.Name, user.AllGroups, context.Request.Method.ToLowerInvariant(), IsResourceRequest: false, Path: context.Request.Path.Value ?? "/")
            : ResourceAttributes(user, resource, context.Request));
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

        if (resource is null)
        {
            throw new KubeException(KubeStatus.PathNotFound());
        }

        if (resource.Type.CreateOnly)
        {
            await Reviews.HandleAsync(context, resource, user, _authorizer);
            return;
        }

        await _resources.HandleAsync(context, resource);
    }

    private void Authorize(RequestAttributes request)
    {
        if (!_authorizer.Authorize(request).Allowed)
        {
            var status = KubeStatus.Failure(403, "Forbidden", request.ForbiddenMessage());
            if (request.IsResourceRequest)
            {
                status["details"] = new System.Text.Json.Nodes.JsonObject { ["name"] = request.Name, ["group"] = request.Group, ["kind"] = request.Resource };
            }

            throw new KubeException(status);
        }
    }

    // The verb and the object as the API server's RequestInfo resolves them: a collection GET is list (watch
    // with ?watch), a metadata.name field selector names the object, and a namespace is its own namespace.
    private static RequestAttributes ResourceAttributes(SandboxUser user, ApiPath path, HttpRequest request)
    {
        var watch = ResourceHandler.IsTrue(request.Query["watch"]);
        var verb = request.Method switch
        {
            "GET" or "HEAD" when path.IsCollection => watch ? "watch" : "list",
            "GET" or "HEAD" => "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" when path.IsCollection => "deletecollection",
            "DELETE" => "delete",
            var other => other.ToLowerInvariant(),
        };
        var name = path.Name;
        if (path.IsCollection && verb is "list" or "watch" && request.Query["fieldSelector"].ToString() is { } selector && selector.StartsWith("metadata.name=", StringComparison.Ordinal) && !selector.Contains(',', StringComparison.Ordinal))
        {
            name = selector["metadata.name=".Length..];
        }

        var ns = path.Namespace ?? (path.Type == ResourceType.Namespaces ? path.Name : null);
        return new RequestAttributes(user.Name, user.AllGroups, verb, IsResourceRequest: true, path.Type.Group, path.Type.Plural, path.Subresource, name, ns);
    }
}
