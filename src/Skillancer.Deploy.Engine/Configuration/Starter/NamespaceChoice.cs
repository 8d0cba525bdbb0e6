using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>
/// Picks an environment's namespace among those a context can see: the one -Namespace names, else
/// the one named like the environment, else one whose name holds the environment's name or its usual
/// short form (stg, prod, dev), else the context's own namespace. Anything but an exact match is a guess.
/// </summary>
internal static class NamespaceChoice
{
    private static readonly Dictionary<string, string[]> ShortForms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["staging"] = ["staging", "stg", "stage"],
        ["production"] = ["production", "prod", "prd"],
        ["development"] = ["development", "dev"],
    };

    /// <param name="environment">The environment.</param>
    /// <param name="given">The namespace -Namespace names for it, if any.</param>
    /// <param name="visible">The namespaces the context can list; null when it may not list them.</param>
    /// <param name="contextNamespace">The namespace the kubeconfig context names, if any.</param>
    /// <param name="context">The context's name, for messages.</param>
    public static (string Namespace, string? Note) For(string environment, string? given, IReadOnlyList<string>? visible, string? contextNamespace, string? context)
    {
        if (given is not null)
        {
            if (visible is not null && !visible.Contains(given, StringComparer.Ordinal))
            {
                throw NotFound(environment, $"-Namespace names '{given}' for {environment}, but context '{context}' has no such namespace.", visible);
            }

            return (given, null);
        }

        if (visible is null)
        {
            return contextNamespace is not null
                ? (contextNamespace, "check: the context's namespace (this user may not list namespaces)")
                : (environment, "check: the environment's name (this user may not list namespaces)");
        }

        if (visible.Contains(environment, StringComparer.Ordinal))
        {
            return (environment, null);
        }

        var words = ShortForms.TryGetValue(environment, out var forms) ? forms : [environment.ToLowerInvariant()];
        var candidates = visible
            .Where(ns => !IsSystem(ns) && ns.Split('-', '.').Any(part => words.Contains(part, StringComparer.OrdinalIgnoreCase)))
            .OrderBy(ns => ns.Length).ThenBy(ns => ns, StringComparer.Ordinal)
            .ToList();
        if (candidates.Count > 0)
        {
            var others = candidates.Count > 1 ? $"; also {string.Join(", ", candidates.Skip(1).Take(5))}{(candidates.Count > 6 ? ", ..." : "")}" : "";
            return (candidates[0], $"check: guessed from the name{others}");
        }

        if (contextNamespace is not null && visible.Contains(contextNamespace, StringComparer.Ordinal))
        {
            return (contextNamespace, "check: no namespace is named like the environment; this is the context's");
        }

        throw NotFound(environment, $"Context '{context}' has no namespace named like '{environment}' and names none of its own.", visible);
    }

    private static bool IsSystem(string ns) => ns.StartsWith("kube-", StringComparison.Ordinal) || ns.EndsWith("-system", StringComparison.Ordinal);

    private static DeployException NotFound(string environment, string problem, IReadOnlyList<string> visible) =>
        new(StarterErrors.NamespaceNotFound, DeployErrorCategory.ObjectNotFound,
            $"{problem} Namespaces it can see: {Sample(visible)}. Pass -Namespace @{{ {environment} = '<namespace>' }}, or use another -Context.",
            environment);

    private static string Sample(IReadOnlyList<string> names) =>
        names.Count == 0 ? "none" : string.Join(", ", names.Take(10)) + (names.Count > 10 ? $" and {names.Count - 10} more" : "");
}
