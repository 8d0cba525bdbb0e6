using Skillancer.Deploy.Engine.Kubernetes.Cluster;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>
/// What an HTTP request to a Kubernetes API server asks for, in RBAC's terms, by the API server's own
/// rules (its RequestInfo): the group and resource from the path, the verb from the method, a name and
/// ?watch=true. <c>GET /apis/apps/v1/namespaces/x/deployments?watch=true</c> is <c>watch deployments.apps</c>.
/// </summary>
public static class ApiRequests
{
    public static ApiAccess Access(string method, string path, string query)
    {
        var segments = path.Trim('/').Split('/');
        var (group, rest) = segments[0] == "api" ? ("", segments[2..]) : (segments[1], segments[3..]);
        string resource;
        string? name;
        var clusterScoped = false;
        if (rest[0] == "namespaces" && rest.Length >= 3)
        {
            resource = rest.Length > 4 ? $"{rest[2]}/{rest[4]}" : rest[2];
            name = rest.Length > 3 ? rest[3] : null;
        }
        else
        {
            resource = rest.Length > 2 ? $"{rest[0]}/{rest[2]}" : rest[0];
            name = rest.Length > 1 ? rest[1] : null;
            clusterScoped = true;
        }

        var watch = query.Contains("watch=true", StringComparison.Ordinal) || query.Contains("watch=1", StringComparison.Ordinal);
        var verb = method switch
        {
            "GET" or "HEAD" => name is not null ? "get" : watch ? "watch" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is not null ? "delete" : "deletecollection",
            _ => throw new ArgumentException($"{method} is not a Kubernetes API verb", nameof(method)),
        };
        return new ApiAccess(group, resource, verb, clusterScoped);
    }
}
