using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Store;

/// <summary>
/// labelSelector (equality: a=b, a==b, a!=b; set-based: a in (x,y), a notin (x), a, !a) and
/// fieldSelector (=, ==, != on the fields <see cref="FieldLabels"/> lists for the type), as the API server parses them.
/// </summary>
internal sealed class Selectors
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _labels = [];
    private readonly List<(Func<JsonObject, string?> Field, string Value, bool Equal)> _fields = [];

    public static Selectors Parse(string? labelSelector, string? fieldSelector, ResourceType type)
    {
        var selectors = new Selectors();
        foreach (var requirement in SplitTopLevel(labelSelector))
        {
            selectors._labels.Add(ParseLabelRequirement(requirement));
        }

        foreach (var requirement in SplitTopLevel(fieldSelector))
        {
            var negated = requirement.Contains("!=", StringComparison.Ordinal);
            var parts = requirement.Split(negated ? "!=" : requirement.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            var field = parts.Length == 2 ? FieldLabels.Find(type, parts[0].Trim()) : null;
            if (field is null)
            {
                throw new KubeException(KubeStatus.BadRequest($"field label not supported: {parts[0].Trim()}"));
            }

            selectors._fields.Add((field, parts[1].Trim(), !negated));
        }

        return selectors;
    }

    public bool Matches(JsonObject obj)
    {
        var labels = StoredObject.Labels(obj);
        return _labels.All(match => match(labels))
            && _fields.All(f => (f.Field(obj) ?? "") == f.Value == f.Equal);
    }

    /// <summary>Matches a deployment's spec.selector.matchLabels against labels.</summary>
    public static bool MatchLabels(JsonObject? matchLabels, IReadOnlyDictionary<string, string> labels) =>
        matchLabels is null || matchLabels.All(p => labels.TryGetValue(p.Key, out var value) && value == p.Value?.ToString());

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseLabelRequirement(string requirement)
    {
        var text = requirement.Trim();
        var words = text.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length >= 2 && (words[1] is "in" or "notin") || text.Contains(" in (", StringComparison.Ordinal) || text.Contains(" notin (", StringComparison.Ordinal))
        {
            var open = text.IndexOf('(', StringComparison.Ordinal);
            var key = text[..text.LastIndexOf(' ', open)].Trim().Split(' ')[0];
            var values = text[(open + 1)..text.LastIndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            var isIn = text.Contains(" in ", StringComparison.Ordinal) || text.Contains(" in(", StringComparison.Ordinal);
            return labels => isIn ? labels.TryGetValue(key, out var v) && values.Contains(v) : !labels.TryGetValue(key, out var w) || !values.Contains(w);
        }

        if (text.Contains("!=", StringComparison.Ordinal))
        {
            var parts = text.Split("!=", 2);
            return labels => !labels.TryGetValue(parts[0].Trim(), out var v) || v != parts[1].Trim();
        }

        if (text.Contains('=', StringComparison.Ordinal))
        {
            var parts = text.Split(text.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            return labels => labels.TryGetValue(parts[0].Trim(), out var v) && v == parts[1].Trim();
        }

        return text.StartsWith('!') ? labels => !labels.ContainsKey(text[1..].Trim()) : labels => labels.ContainsKey(text);
    }

    // Commas separate requirements, except inside the parentheses of a set.
    private static IEnumerable<string> SplitTopLevel(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            yield break;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            depth += selector[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }

        yield return selector[start..];
    }
}
