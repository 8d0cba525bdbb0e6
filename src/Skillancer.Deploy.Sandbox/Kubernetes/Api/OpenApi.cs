using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>
/// A minimal OpenAPI v3 description: the index at /openapi/v3 and one document per group version, listing
/// each resource's operations with their group-version-kind and the fieldValidation parameter. That is
/// what kubectl reads to decide that the server validates fields itself, so that create and replace work
/// without the full schemas, which the sandbox does not carry.
/// </summary>
internal static class OpenApi
{
    public static JsonObject Index() => new()
    {
        ["paths"] = new JsonObject(GroupVersions().Select(gv => KeyValuePair.Create<string, JsonNode?>(
            gv.Prefix, new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv.Prefix}?hash=sandbox" })).ToArray()),
    };

    /// <summary>The document for /openapi/v3/{api/v1 | apis/{group}/{version}}, or null.</summary>
    public static JsonObject? Document(string prefix)
    {
        var types = ResourceType.All.Where(t => Prefix(t) == prefix).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var type in types)
        {
            var collection = type.Namespaced ? $"/{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"/{prefix}/{type.Plural}";
            if (type.CreateOnly)
            {
                paths[collection] = new JsonObject { ["post"] = Operation(type, "post") };
                continue;
            }

            if (type.ReadOnly)
            {
                paths[collection] = new JsonObject { ["get"] = Operation(type, "list") };
                paths[collection + "/{name}"] = new JsonObject { ["get"] = Operation(type, "get") };
                continue;
            }

            paths[collection] = new JsonObject { ["get"] = Operation(type, "list"), ["post"] = Operation(type, "post") };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = Operation(type, "get"),
                ["put"] = Operation(type, "put"),
                ["patch"] = Operation(type, "patch"),
                ["delete"] = Operation(type, "delete"),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Skillancer.Deploy sandbox", ["version"] = Discovery.Version()["gitVersion"]!.DeepClone() },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    /// <summary>
    /// /openapi/v2 without definitions. Older kubectl (Debian's 1.20) validates objects against it before
    /// create and replace, and asks for protobuf; a document with no definitions tells it that no type has
    /// a client-side schema, so it sends the object and lets the server decide. An empty protobuf message
    /// is a valid, empty document.
    /// </summary>
    public static async Task WriteVersion2Async(HttpContext context)
    {
        // Clients ask for "...spec.v2@v1.0+protobuf"; servers answer with the '@' spelled '.', which Go's mime parser accepts.
        if (context.Request.Headers.Accept.ToString().Contains("application/com.github.proto-openapi.spec.v2", StringComparison.Ordinal))
        {
            context.Response.ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
            context.Response.ContentLength = 0;
            return;
        }

        await KubeResponse.WriteAsync(context, 200, new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Skillancer.Deploy sandbox", ["version"] = Discovery.Version()["gitVersion"]!.DeepClone() },
            ["paths"] = new JsonObject(),
        });
    }

    private static JsonObject Operation(ResourceType type, string action) => new()
    {
        ["operationId"] = action + type.Kind,
        ["parameters"] = new JsonArray(
            new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
            new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
            new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
        ["x-kubernetes-action"] = action,
        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
    };

    private static IEnumerable<(string Prefix, string Group)> GroupVersions() =>
        ResourceType.All.Select(t => (Prefix(t), t.Group)).Distinct();

    private static string Prefix(ResourceType type) => type.Group.Length == 0 ? $"api/{type.Version}" : $"apis/{type.Group}/{type.Version}";
}
