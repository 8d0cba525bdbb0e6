using System.Text.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Access;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>
/// The create-only review types, answered and never stored: SelfSubjectReview (<c>kubectl auth whoami</c>)
/// returns the caller's user info; SelfSubjectAccessReview (<c>kubectl auth can-i</c>) asks the RBAC
/// authorizer about the caller and the attributes in its spec.
/// </summary>
internal static class Reviews
{
    public static async Task HandleAsync(HttpContext context, ApiPath path, SandboxUser user, RbacAuthorizer authorizer)
    {
        if (context.Request.Method != "POST" || !path.IsCollection || path.Subresource is not null)
        {
            throw new KubeException(KubeStatus.MethodNotAllowed(context.Request.Method));
        }

        JsonObject review;
        try
        {
            review = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject
                ?? throw new KubeException(KubeStatus.BadRequest("the request body must be a JSON object"));
        }
        catch (JsonException e)
        {
            throw new KubeException(KubeStatus.BadRequest($"the body of the request could not be decoded as JSON: {e.Message}"));
        }

        review["apiVersion"] = path.Type.ApiVersion;
        review["kind"] = path.Type.Kind;
        review["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        review["status"] = path.Type == ResourceType.SelfSubjectReviews
            ? new JsonObject
            {
                ["userInfo"] = new JsonObject
                {
                    ["username"] = user.Name,
                    ["groups"] = new JsonArray(user.AllGroups.Select(g => (JsonNode)g).ToArray()),
                },
            }
            : Access(review, path.Type, user, authorizer);
        await KubeResponse.WriteAsync(context, 201, review);
    }

    private static JsonObject Access(JsonObject review, ResourceType type, SandboxUser user, RbacAuthorizer authorizer)
    {
        var spec = review["spec"] as JsonObject;
        RequestAttributes attributes;
        if (spec?["resourceAttributes"] is JsonObject resource && spec["nonResourceAttributes"] is null)
        {
            attributes = new RequestAttributes(
                user.Name,
                user.AllGroups,
                Text(resource, "verb"),
                IsResourceRequest: true,
                Group: Text(resource, "group"),
                Resource: Text(resource, "resource"),
                Subresource: Text(resource, "subresource"),
                Name: Text(resource, "name"),
                Namespace: Text(resource, "namespace"));
        }
        else if (spec?["nonResourceAttributes"] is JsonObject nonResource && spec["resourceAttributes"] is null)
        {
            attributes = new RequestAttributes(user.Name, user.AllGroups, Text(nonResource, "verb"), IsResourceRequest: false, Path: Text(nonResource, "path"));
        }
        else
        {
            throw new KubeException(KubeStatus.Invalid(type, "", "spec.resourceAttributes", "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }

        var (allowed, reason) = authorizer.Authorize(attributes);
        var status = new JsonObject { ["allowed"] = allowed };
        if (reason.Length > 0)
        {
            status["reason"] = reason;
        }

        return status;
    }

    private static string Text(JsonObject obj, string field) => obj[field]?.ToString() ?? "";
}
