using System.Globalization;
using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Patching;

/// <summary>
/// Why an RFC 6902 operation did not apply, in the words of the JSON-patch library the API server uses
/// ("testing value /spec/replicas failed: test failed", "replace operation does not apply: doc is missing
/// key: ..."), with, for a failed test, the value found and the one the test wanted.
/// </summary>
internal static class JsonPatchFailure
{
    public static string Describe(JsonNode document, string op, string path, string? from, JsonNode? value)
    {
        var target = Resolve(document, path);
        switch (op)
        {
            case "test" when target.Parent is null:
                return $"test operation does not apply: is missing path: {path}: missing value";
            case "test":
                return $"testing value {path} failed: test failed (the value is {Show(target.Value, target.Exists)}, the test wants {Show(value, true)})";
            case "replace" when target.Parent is null:
                return $"replace operation does not apply: doc is missing path: {path}: missing value";
            case "replace":
                return $"replace operation does not apply: doc is missing key: {path}: missing value";
            case "remove" when target.Parent is null:
                return $"remove operation does not apply: doc is missing path: \"{path}\": missing value";
            case "remove":
                return $"error in remove for path: '{path}': unable to remove nonexistent key: {target.Key}: missing value";
            case "add" when target.Parent is null:
                return $"add operation does not apply: doc is missing path: \"{path}\": missing value";
            case "add":
                return $"error in add for path: '{path}': Unable to access invalid index: {target.Key}: invalid index referenced";
            case "move" or "copy" when from is not null && !Resolve(document, from).Exists:
                return $"{op} operation does not apply: doc is missing from path: {from}: missing value";
            case "move" or "copy":
                return $"{op} operation does not apply: doc is missing destination path: {path}: missing value";
            default:
                return $"Unexpected kind: {op}";
        }
    }

    private static string Show(JsonNode? node, bool exists) => !exists ? "missing" : node is null ? "null" : node.ToJsonString();

    private sealed record Target(JsonNode? Parent, string Key, bool Exists, JsonNode? Value);

    // Follows a JSON pointer (RFC 6901) to the parent of its last token.
    private static Target Resolve(JsonNode document, string pointer)
    {
        var tokens = pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        if (tokens.Count == 0)
        {
            return new Target(document, "", true, document);
        }

        JsonNode? parent = document;
        foreach (var token in tokens.SkipLast(1))
        {
            parent = Child(parent, token, out _);
            if (parent is null)
            {
                return new Target(null, tokens[^1], false, null);
            }
        }

        var value = Child(parent, tokens[^1], out var exists);
        return new Target(parent, tokens[^1], exists, value);
    }

    private static JsonNode? Child(JsonNode? node, string token, out bool exists)
    {
        switch (node)
        {
            case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                exists = true;
                return child;
            case JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                exists = true;
                return array[index];
            default:
                exists = false;
                return null;
        }
    }
}
