using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Access;

/// <summary>
/// Kubernetes' RBAC authorizer over the Roles, ClusterRoles and their bindings in the store: a request is
/// allowed when a ClusterRoleBinding, or a RoleBinding in the request's namespace, binds one of the user's
/// subjects to a role with a rule that matches its verb, API group, resource (subresources as
/// <c>deployments/scale</c> or <c>*/scale</c>), resource name and namespace, or its non-resource path. Members of
/// system:masters are allowed everything, as the real server's privileged-group authorizer does.
/// </summary>
internal sealed class RbacAuthorizer(ObjectStore store)
{
    /// <summary>Whether the request is allowed, and the reason a real server gives (empty when denied).</summary>
    public (bool Allowed, string Reason) Authorize(RequestAttributes request)
    {
        if (request.Groups.Contains(SandboxUsers.MastersGroup))
        {
            return (true, "");
        }

        foreach (var binding in store.List(ResourceType.ClusterRoleBindings, null).Items)
        {
            if (Subject(binding, request) is { } subject && binding["roleRef"]?["kind"]?.ToString() == "ClusterRole"
                && Allows(store.Get(ResourceType.ClusterRoles, null, RoleName(binding)), request))
            {
                return (true, $"RBAC: allowed by ClusterRoleBinding \"{StoredObject.Name(binding)}\" of ClusterRole \"{RoleName(binding)}\" to {subject}");
            }
        }

        if (!request.IsResourceRequest || string.IsNullOrEmpty(request.Namespace))
        {
            return (false, "");
        }

        foreach (var binding in store.List(ResourceType.RoleBindings, request.Namespace).Items)
        {
            var kind = binding["roleRef"]?["kind"]?.ToString();
            var role = kind switch
            {
                "Role" => store.Get(ResourceType.Roles, request.Namespace, RoleName(binding)),
                "ClusterRole" => store.Get(ResourceType.ClusterRoles, null, RoleName(binding)),
                _ => null,
            };
            if (Subject(binding, request) is { } subject && Allows(role, request))
            {
                return (true, $"RBAC: allowed by RoleBinding \"{StoredObject.Name(binding)}/{request.Namespace}\" of {kind} \"{RoleName(binding)}\" to {subject}");
            }
        }

        return (false, "");
    }

    private static string RoleName(JsonObject binding) => binding["roleRef"]?["name"]?.ToString() ?? "";

    // The binding's first subject that is the request's user, one of its groups, or its service account; described as the real authorizer does.
    private static string? Subject(JsonObject binding, RequestAttributes request)
    {
        foreach (var subject in (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = subject["name"]?.ToString() ?? "";
            switch (subject["kind"]?.ToString())
            {
                case "User" when name == request.User:
                    return $"User \"{name}\"";
                case "Group" when request.Groups.Contains(name):
                    return $"Group \"{name}\"";
                case "ServiceAccount" when request.User == $"system:serviceaccount:{subject["namespace"]}:{name}":
                    return $"ServiceAccount \"{subject["namespace"]}/{name}\"";
            }
        }

        return null;
    }

    private static bool Allows(JsonObject? role, RequestAttributes request) =>
        role?["rules"] is JsonArray rules && rules.OfType<JsonObject>().Any(rule => Matches(rule, request));

    private static bool Matches(JsonObject rule, RequestAttributes request)
    {
        if (!Strings(rule, "verbs").Any(v => v == "*" || v == request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return Strings(rule, "nonResourceURLs").Any(url =>
                url == "*" || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }

        var names = Strings(rule, "resourceNames").ToList();
        return Strings(rule, "apiGroups").Any(g => g == "*" || g == request.Group)
            && Strings(rule, "resources").Any(r => r == "*" || r == request.CombinedResource
                || (!string.IsNullOrEmpty(request.Subresource) && r == "*/" + request.Subresource))
            && (names.Count == 0 || (!string.IsNullOrEmpty(request.Name) && names.Contains(request.Name)));
    }

    private static IEnumerable<string> Strings(JsonObject rule, string field) =>
        (rule[field] as JsonArray ?? []).Select(v => v?.ToString() ?? "");
}
