using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>
/// Pod templates as the deployment controller compares and names them: equality ignores the
/// pod-template-hash label and what serialisation adds (null creationTimestamp, empty resources), so that
/// a template sent back by <c>kubectl rollout undo</c> matches its ReplicaSet instead of making a new revision.
/// </summary>
internal static class PodTemplate
{
    public const string HashLabel = "pod-template-hash";

    // The alphabet Kubernetes' rand.SafeEncodeString uses: no vowels, no look-alike digits.
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static bool Equal(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(Normalize(a), Normalize(b));

    /// <summary>The ReplicaSet name suffix: an FNV-1a hash of the normalised template, safe-encoded.</summary>
    public static string Hash(JsonNode? template)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(Normalize(template)?.ToJsonString() ?? ""))
        {
            hash = (hash ^ b) * 16777619u;
        }

        var digits = hash.ToString(CultureInfo.InvariantCulture);
        return new string(digits.Select(c => SafeAlphabet[c % SafeAlphabet.Length]).ToArray());
    }

    /// <summary>A copy without the hash label, nulls and empty objects, with object keys sorted.</summary>
    public static JsonNode? Normalize(JsonNode? template)
    {
        var copy = Prune(template?.DeepClone());
        if (copy?["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(HashLabel);
        }

        return Prune(copy);
    }

    private static JsonNode? Prune(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var sorted = new JsonObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
                {
                    obj.Remove(key);
                    var pruned = Prune(value);
                    if (pruned is not null && pruned is not JsonObject { Count: 0 })
                    {
                        sorted[key] = pruned;
                    }
                }

                return sorted;
            case JsonArray array:
                var items = array.Select(i => i?.DeepClone()).Select(Prune).ToArray();
                return new JsonArray(items);
            default:
                return node;
        }
    }
}
