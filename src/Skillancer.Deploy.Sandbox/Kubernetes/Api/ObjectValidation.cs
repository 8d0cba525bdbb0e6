using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>The API server's validation of what the sandbox stores; each failure is a 422 Invalid Status that names the field.</summary>
internal static partial class ObjectValidation
{
    public static void Validate(ResourceType type, JsonObject obj, JsonObject? old)
    {
        var name = StoredObject.Name(obj) ?? "";
        if (type.IsRbac)
        {
            // RBAC names are path segments (ValidateRBACName), so that system:masters is one.
            if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '%']) >= 0)
            {
                throw Invalid(type, name, "metadata.name", $"Invalid value: \"{name}\": may not be '.' or '..' and may not contain '/' or '%'");
            }

            return;
        }

        if (type == ResourceType.Leases && obj["spec"]?["leaseDurationSeconds"] is { } duration && StoredObject.Long(duration) <= 0)
        {
            throw Invalid(type, name, "spec.leaseDurationSeconds", $"Invalid value: {duration.ToJsonString()}: must be greater than 0");
        }

        if (!DnsSubdomain().IsMatch(name) || name.Length > 253)
        {
            throw Invalid(type, name, "metadata.name", $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }

        if (type == ResourceType.Deployments || type == ResourceType.ReplicaSets)
        {
            ValidateWorkload(type, name, obj, old);
        }
    }

    private static void ValidateWorkload(ResourceType type, string name, JsonObject obj, JsonObject? old)
    {
        var spec = obj["spec"] as JsonObject ?? throw Invalid(type, name, "spec", "Required value");
        if (StoredObject.Long(spec["replicas"], 1) < 0)
        {
            throw Invalid(type, name, "spec.replicas", $"Invalid value: {spec["replicas"]}: must be greater than or equal to 0");
        }

        if (spec["selector"]?["matchLabels"] is not JsonObject { Count: > 0 } matchLabels)
        {
            throw Invalid(type, name, "spec.selector", "Required value");
        }

        var templateLabels = spec["template"]?["metadata"]?["labels"] as JsonObject;
        if (!matchLabels.All(p => templateLabels?[p.Key]?.ToString() == p.Value?.ToString()))
        {
            throw Invalid(type, name, "spec.template.metadata.labels", $"Invalid value: {templateLabels?.ToJsonString() ?? "null"}: `selector` does not match template `labels`");
        }

        var containers = spec["template"]?["spec"]?["containers"] as JsonArray;
        if (containers is null || containers.Count == 0)
        {
            throw Invalid(type, name, "spec.template.spec.containers", "Required value");
        }

        for (var i = 0; i < containers.Count; i++)
        {
            if (string.IsNullOrEmpty(containers[i]?["name"]?.ToString()))
            {
                throw Invalid(type, name, $"spec.template.spec.containers[{i}].name", "Required value");
            }

            if (string.IsNullOrEmpty(containers[i]?["image"]?.ToString()))
            {
                throw Invalid(type, name, $"spec.template.spec.containers[{i}].image", "Required value");
            }
        }

        if (old?["spec"]?["selector"] is { } oldSelector && !JsonNode.DeepEquals(oldSelector, spec["selector"]))
        {
            throw Invalid(type, name, "spec.selector", $"Invalid value: {spec["selector"]!.ToJsonString()}: field is immutable");
        }
    }

    private static KubeException Invalid(ResourceType type, string name, string field, string problem) =>
        new(KubeStatus.Invalid(type, name, field, problem));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
