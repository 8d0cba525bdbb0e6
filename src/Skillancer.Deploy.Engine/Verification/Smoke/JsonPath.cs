using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Engine.Verification.Smoke;

/// <summary>
/// The small path language of <c>expectJson</c>: property names joined by dots, with <c>[n]</c> for array
/// items (<c>user.email</c>, <c>jobs[0].id</c>), and a leading <c>$.</c> allowed. Values compare as text:
/// a JSON string by its content, anything else as JSON writes it (3, true, null).
/// </summary>
public static class JsonPath
{
    /// <summary>Reads the value at <paramref name="path"/> as text; false when the path leads nowhere.</summary>
    public static bool TryRead(JsonNode? root, string path, out string text)
    {
        text = string.Empty;
        var node = root;
        foreach (var step in Steps(path))
        {
            switch (step)
            {
                case int index when node is JsonArray array && index < array.Count:
                    node = array[index];
                    break;
                case string name when node is JsonObject obj && obj.TryGetPropertyValue(name, out var child):
                    node = child;
                    break;
                default:
                    return false;
            }
        }

        text = node is null ? "null"
            : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>()
            : node.ToJsonString();
        return true;
    }

    private static IEnumerable<object> Steps(string path)
    {
        var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        foreach (var part in trimmed.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket != 0)
            {
                yield return bracket < 0 ? part : part[..bracket];
            }

            while (bracket >= 0)
            {
                var close = part.IndexOf(']', bracket);
                yield return close > bracket && int.TryParse(part[(bracket + 1)..close], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    ? index
                    : (object)part; // not an index: a step no value has
                bracket = close < 0 ? -1 : part.IndexOf('[', close);
            }
        }
    }
}
