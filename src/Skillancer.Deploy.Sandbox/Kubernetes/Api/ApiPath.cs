using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>
/// A resource URL taken apart: <c>/apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]</c>,
/// or <c>/api/v1/...</c> for the core group.
/// </summary>
internal sealed record ApiPath(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    public bool IsCollection => Name is null;

    /// <summary>Null when the path names no resource the sandbox serves.</summary>
    public static ApiPath? Parse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group;
        string version;
        string[] rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], segments[2..]);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }
        else
        {
            return null;
        }

        // namespaces/{ns}/{plural}/... names a namespaced resource; namespaces/{name}[/status] a namespace.
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(group.Length == 0 && rest.Length == 3 && rest[2] == "status"))
        {
            var type = ResourceType.Find(group, version, rest[2]);
            return type is { Namespaced: true } && rest.Length <= 5
                ? new ApiPath(type, rest[1], rest.ElementAtOrDefault(3), rest.ElementAtOrDefault(4))
                : null;
        }

        var clusterType = ResourceType.Find(group, version, rest[0]);
        if (clusterType is null || rest.Length > 3 || (clusterType.Namespaced && rest.Length > 1))
        {
            return null;
        }

        return new ApiPath(clusterType, null, rest.ElementAtOrDefault(1), rest.ElementAtOrDefault(2));
    }
}
