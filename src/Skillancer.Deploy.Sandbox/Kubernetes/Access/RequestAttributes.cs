namespace Skillancer.Deploy.Sandbox.Kubernetes.Access;

/// <summary>
/// What the authorizer decides on, as the API server's RequestInfo resolves it: who, which verb, and
/// either a resource (group, resource, subresource, name, namespace) or a non-resource path.
/// </summary>
internal sealed record RequestAttributes(
    string User,
    IReadOnlyList<string> Groups,
    string Verb,
    bool IsResourceRequest,
    string Group = "",
    string Resource = "",
    string? Subresource = null,
    string? Name = null,
    string? Namespace = null,
    string Path = "")
{
    /// <summary>deployments/scale: the resource as RBAC rules name it.</summary>
    public string CombinedResource => string.IsNullOrEmpty(Subresource) ? Resource : $"{Resource}/{Subresource}";

    /// <summary>The real server's 403 message (forbiddenMessage wrapped by NewForbidden).</summary>
    public string ForbiddenMessage()
    {
        if (!IsResourceRequest)
        {
            return $"forbidden: User \"{User}\" cannot {Verb} path \"{Path}\"";
        }

        var scope = string.IsNullOrEmpty(Namespace) ? "at the cluster scope" : $"in the namespace \"{Namespace}\"";
        var qualified = Group.Length == 0 ? Resource : $"{Resource}.{Group}";
        var subject = string.IsNullOrEmpty(Name) ? qualified : $"{qualified} \"{Name}\"";
        return $"{subject} is forbidden: User \"{User}\" cannot {Verb} resource \"{CombinedResource}\" in API group \"{Group}\" {scope}";
    }
}
