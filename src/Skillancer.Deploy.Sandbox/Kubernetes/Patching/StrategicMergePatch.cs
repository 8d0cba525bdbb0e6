using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Patching;

/// <summary>
/// Kubernetes' strategic merge patch for the built-in types: objects merge, null deletes, and the lists
/// that the API declares with a merge key (containers by name, ports by containerPort, ...) merge element by
/// element instead of being replaced. Understands the directives kubectl sends: <c>$patch</c> (replace,
/// delete, merge), <c>$setElementOrder/&lt;list&gt;</c>, <c>$deleteFromPrimitiveList/&lt;list&gt;</c> and
/// <c>$retainKeys</c>.
/// </summary>
internal static class StrategicMergePatch
{
    // The patchMergeKey of the list fields the sandbox's built-in types carry (from the API's Go tags).
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["ports"] = "containerPort",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["resourceClaims"] = "name",
    };

    // Lists of scalars that merge (patchStrategy:"merge" without a key).
    private static readonly HashSet<string> MergedScalarLists = new(StringComparer.Ordinal) { "finalizers" };

    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(JsonObject original, JsonObject patch)
    {
        var result = (JsonObject)original.DeepClone();
        MergeObject(result, patch);
        return result;
    }

    private static void MergeObject(JsonObject target, JsonObject patch)
    {
        var directive = patch["$patch"]?.GetValue<string>();
        if (directive == "replace")
        {
            target.Clear();
            foreach (var (key, value) in patch.Where(p => p.Key != "$patch"))
            {
                target[key] = value?.DeepClone();
            }

            return;
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var list = key[DeleteFromPrimitiveList.Length..];
                if (target[list] is JsonArray existing && value is JsonArray removed)
                {
                    foreach (var item in existing.Where(i => removed.Any(r => JsonNode.DeepEquals(i, r))).ToList())
                    {
                        existing.Remove(item);
                    }
                }

                continue;
            }

            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject && patchObject["$patch"]?.GetValue<string>() == "delete")
            {
                target.Remove(key);
            }
            else if (value is JsonObject childPatch && target[key] is JsonObject child)
            {
                MergeObject(child, childPatch);
            }
            else if (value is JsonArray listPatch && target[key] is JsonArray list)
            {
                target[key] = MergeList(key, list, listPatch, patch[SetElementOrder + key] as JsonArray);
            }
            else
            {
                target[key] = WithoutDirectives(value.DeepClone());
            }
        }

        // A $setElementOrder without its list still reorders the existing list.
        foreach (var (key, value) in patch.Where(p => p.Key.StartsWith(SetElementOrder, StringComparison.Ordinal)))
        {
            var list = key[SetElementOrder.Length..];
            if (patch[list] is null && target[list] is JsonArray existing && value is JsonArray order)
            {
                target[list] = Reorder(list, existing, order);
            }
        }
    }

    private static JsonArray MergeList(string field, JsonArray original, JsonArray patch, JsonArray? order)
    {
        if (patch.Any(i => i is JsonObject o && o["$patch"]?.GetValue<string>() == "replace"))
        {
            return new JsonArray(patch.Where(i => i is not JsonObject o || o["$patch"] is null).Select(i => i?.DeepClone()).ToArray());
        }

        if (MergedScalarLists.Contains(field))
        {
            var merged = new JsonArray(original.Select(i => i?.DeepClone()).ToArray());
            foreach (var item in patch.Where(i => !original.Any(o => JsonNode.DeepEquals(o, i))))
            {
                merged.Add(item?.DeepClone());
            }

            return order is null ? merged : Reorder(field, merged, order);
        }

        if (!MergeKeys.TryGetValue(field, out var mergeKey) || patch.Any(i => i is not JsonObject))
        {
            return (JsonArray)WithoutDirectives(patch.DeepClone())!;
        }

        var result = new JsonArray(original.Select(i => i?.DeepClone()).ToArray());
        foreach (var element in patch.OfType<JsonObject>())
        {
            var key = element[mergeKey];
            var match = result.OfType<JsonObject>().FirstOrDefault(o => JsonNode.DeepEquals(o[mergeKey], key));
            if (element["$patch"]?.GetValue<string>() == "delete")
            {
                if (match is not null)
                {
                    result.Remove(match);
                }
            }
            else if (match is not null)
            {
                MergeObject(match, element);
            }
            else
            {
                result.Add(WithoutDirectives(element.DeepClone()));
            }
        }

        return order is null ? result : Reorder(field, result, order);
    }

    // Orders a merged list as $setElementOrder says; elements it does not name keep their place at the end.
    private static JsonArray Reorder(string field, JsonArray list, JsonArray order)
    {
        List<JsonNode?> items = list.Select(i => i?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var wanted in order)
        {
            var found = MergeKeys.TryGetValue(field, out var key) && wanted is JsonObject w
                ? items.FirstOrDefault(i => i is JsonObject o && JsonNode.DeepEquals(o[key], w[key]))
                : items.FirstOrDefault(i => JsonNode.DeepEquals(i, wanted));
            if (found is not null)
            {
                ordered.Add(found);
                items.Remove(found);
            }
        }

        return new JsonArray([.. ordered, .. items]);
    }

    private static JsonNode? WithoutDirectives(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, value) in obj.ToList())
                {
                    WithoutDirectives(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    WithoutDirectives(item);
                }

                break;
        }

        return node;
    }
}
