using System.Text.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Patching;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>The verbs on a resource URL: get, list, watch, create, update, patch (server-side apply too) and delete, against the store.</summary>
internal sealed class ResourceHandler(ObjectStore store, WatchSettings watchSettings)
{
    public async Task HandleAsync(HttpContext context, ApiPath path)
    {
        var request = context.Request;
        var dryRun = request.Query["dryRun"].Count > 0;
        if (path.Type.ReadOnly && request.Method != "GET")
        {
            throw new KubeException(KubeStatus.ReadOnly(path.Type, path.Name, request.Method));
        }

        if (path.Subresource == "scale" && ScaleSubresource.Supports(path.Type) && !path.IsCollection)
        {
            await HandleScaleAsync(context, path, dryRun);
            return;
        }

        var scope = path.Subresource switch
        {
            null => WriteScope.Object,
            "status" when path.Type.HasStatus => WriteScope.Status,
            _ => throw new KubeException(KubeStatus.PathNotFound()),
        };

        switch (request.Method)
        {
            case "GET" when path.IsCollection && IsTrue(request.Query["watch"]):
                await WatchStream.ServeAsync(context, store, path, watchSettings);
                return;
            case "GET" when path.IsCollection:
                await ListAsync(context, path);
                return;
            case "GET":
                var found = store.Get(path.Type, path.Namespace, path.Name!) ?? throw new KubeException(KubeStatus.NotFound(path.Type, path.Name!));
                await WriteObjectAsync(context, path.Type, found, 200);
                return;
            case "POST" when path.IsCollection && path.Subresource is null:
                await WriteObjectAsync(context, path.Type, Create(path, await ReadObjectAsync(request), dryRun), 201);
                return;
            case "PUT" when !path.IsCollection:
                var replacement = await ReadObjectAsync(request);
                CheckNamespace(path, replacement);
                var updated = store.Mutate(path.Type, path.Namespace, path.Name!, old => Prepare(path.Type, replacement, old), scope, dryRun);
                await WriteObjectAsync(context, path.Type, updated, 200);
                return;
            case "PATCH" when !path.IsCollection && ServerSideApply.Requested(request.ContentType):
                var (applied, created) = Apply(path, await new StreamReader(request.Body).ReadToEndAsync(context.RequestAborted), request.Query["fieldManager"], scope, dryRun);
                await WriteObjectAsync(context, path.Type, applied, created ? 201 : 200);
                return;
            case "PATCH" when !path.IsCollection && request.Query.ContainsKey("force"):
                throw new KubeException(KubeStatus.Failure(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch"));
            case "PATCH" when !path.IsCollection:
                var patch = await new StreamReader(request.Body).ReadToEndAsync(context.RequestAborted);
                var patched = store.Mutate(
                    path.Type,
                    path.Namespace,
                    path.Name!,
                    old => Prepare(path.Type, PatchType.Apply(request.ContentType, old, patch, path.Type), old),
                    scope,
                    dryRun);
                await WriteObjectAsync(context, path.Type, patched, 200);
                return;
            case "DELETE" when !path.IsCollection && path.Subresource is null:
                await WriteObjectAsync(context, path.Type, Delete(path, dryRun), 200);
                return;
            default:
                throw new KubeException(KubeStatus.MethodNotAllowed(request.Method));
        }
    }

    private async Task HandleScaleAsync(HttpContext context, ApiPath path, bool dryRun)
    {
        var request = context.Request;
        JsonObject result;
        switch (request.Method)
        {
            case "GET":
                result = store.Get(path.Type, path.Namespace, path.Name!) ?? throw new KubeException(KubeStatus.NotFound(path.Type, path.Name!));
                break;
            case "PUT":
                var scale = await ReadObjectAsync(request);
                result = store.Mutate(path.Type, path.Namespace, path.Name!, old => Prepare(path.Type, ScaleSubresource.Apply(old, scale), old), WriteScope.Object, dryRun);
                break;
            case "PATCH":
                var patch = await new StreamReader(request.Body).ReadToEndAsync(context.RequestAborted);
                result = store.Mutate(
                    path.Type,
                    path.Namespace,
                    path.Name!,
                    old => Prepare(path.Type, ScaleSubresource.Apply(old, PatchType.Apply(request.ContentType, ScaleSubresource.Of(old), patch, path.Type)), old),
                    WriteScope.Object,
                    dryRun);
                break;
            default:
                throw new KubeException(KubeStatus.MethodNotAllowed(request.Method));
        }

        await KubeResponse.WriteAsync(context, 200, ScaleSubresource.Of(result));
    }

    private async Task ListAsync(HttpContext context, ApiPath path)
    {
        var selectors = Selectors.Parse(context.Request.Query["labelSelector"], context.Request.Query["fieldSelector"], path.Type);
        var (items, version) = store.List(path.Type, path.Namespace);
        var matching = items.Where(selectors.Matches).ToList();
        if (ResourceTable.Requested(context.Request.Headers.Accept))
        {
            await KubeResponse.WriteAsync(context, 200, ResourceTable.Build(path.Type, matching, version, context.Request.Query["includeObject"]));
            return;
        }

        await KubeResponse.WriteAsync(context, 200, new JsonObject
        {
            ["kind"] = path.Type.Kind + "List",
            ["apiVersion"] = path.Type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray(matching.Select(i => (JsonNode)i).ToArray()),
        });
    }

    private JsonObject Create(ApiPath path, JsonObject obj, bool dryRun)
    {
        CheckNamespace(path, obj);
        var metadata = StoredObject.Metadata(obj);
        if (string.IsNullOrEmpty(StoredObject.Name(obj)) && metadata["generateName"]?.ToString() is { Length: > 0 } prefix)
        {
            metadata["name"] = prefix + Guid.NewGuid().ToString("N")[..5];
        }

        if (path.Namespace is not null && store.Get(ResourceType.Namespaces, null, path.Namespace) is null)
        {
            throw new KubeException(KubeStatus.NotFound(ResourceType.Namespaces, path.Namespace));
        }

        foreach (var server in new[] { "resourceVersion", "uid", "creationTimestamp", "generation" })
        {
            metadata.Remove(server);
        }

        return store.Create(path.Type, path.Namespace, Prepare(path.Type, obj, null), dryRun);
    }

    // Server-side apply: creates the object when it does not exist, as a real server does, else merges into it.
    private (JsonObject Result, bool Created) Apply(ApiPath path, string body, string? fieldManager, WriteScope scope, bool dryRun)
    {
        var applied = ApplyConfiguration.Parse(body);
        ServerSideApply.Validate(path.Type, path.Name!, fieldManager, applied);
        CheckNamespace(path, applied);
        if (path.Subresource is null && store.Get(path.Type, path.Namespace, path.Name!) is null)
        {
            try
            {
                return (Create(path, applied.DeepClone().AsObject(), dryRun), true);
            }
            catch (KubeException e) when (e.Status["reason"]?.ToString() == "AlreadyExists")
            {
                // Created by someone else meanwhile: apply to theirs.
            }
        }

        return (store.Mutate(path.Type, path.Namespace, path.Name!, old => Prepare(path.Type, ServerSideApply.Merge(path.Type, old, applied), old), scope, dryRun), false);
    }

    private JsonObject Delete(ApiPath path, bool dryRun)
    {
        var deleted = path.Type == ResourceType.Namespaces && !dryRun ? store.DeleteNamespace(path.Name!) : store.Delete(path.Type, path.Namespace, path.Name!, dryRun);
        return path.Type.IsCustom || path.Type == ResourceType.Namespaces ? deleted : KubeStatus.Success(path.Type, path.Name!, StoredObject.Metadata(deleted)["uid"]?.ToString());
    }

    private static JsonObject Prepare(ResourceType type, JsonObject obj, JsonObject? old)
    {
        ObjectDefaults.Apply(type, obj);
        ObjectValidation.Validate(type, obj, old);
        return obj;
    }

    private static void CheckNamespace(ApiPath path, JsonObject obj)
    {
        var ns = StoredObject.Namespace(obj);
        if (path.Namespace is not null && !string.IsNullOrEmpty(ns) && ns != path.Namespace)
        {
            throw new KubeException(KubeStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request"));
        }

        if (path.Name is not null && StoredObject.Name(obj) is { } name && name != path.Name)
        {
            throw new KubeException(KubeStatus.BadRequest($"the name of the object ({name}) does not match the name on the URL ({path.Name})"));
        }
    }

    private static async Task WriteObjectAsync(HttpContext context, ResourceType type, JsonObject obj, int statusCode)
    {
        var body = ResourceTable.Requested(context.Request.Headers.Accept) && obj["kind"]?.ToString() == type.Kind
            ? ResourceTable.Build(type, [obj], long.Parse(StoredObject.ResourceVersion(obj) ?? "0", System.Globalization.CultureInfo.InvariantCulture), context.Request.Query["includeObject"])
            : obj;
        await KubeResponse.WriteAsync(context, statusCode, body);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject
                ?? throw new KubeException(KubeStatus.BadRequest("the request body must be a JSON object"));
        }
        catch (JsonException e)
        {
            throw new KubeException(KubeStatus.BadRequest($"the body of the request could not be decoded as JSON: {e.Message}"));
        }
    }

    public static bool IsTrue(string? value) => value is "true" or "1";
}
