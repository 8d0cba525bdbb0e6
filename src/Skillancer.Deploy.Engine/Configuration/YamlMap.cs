using System.Globalization;
using Skillancer.Deploy.Engine.Primitives;
using YamlDotNet.RepresentationModel;

namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>
/// Typed, located access to one YAML mapping of the configuration. Every failure names the file,
/// line, column and key. It remembers which keys were read, so keys nobody reads can be reported
/// as unknown. A fallback mapping (the <c>defaults</c> section) answers keys this one lacks.
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly YamlMap? _fallback;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlMap> _children = new(StringComparer.Ordinal);

    public YamlMap(string file, string path, YamlMappingNode node, YamlMap? fallback = null)
    {
        File = file;
        Path = path;
        _node = node;
        _fallback = fallback;
    }

    public string File { get; }

    public string Path { get; }

    public ConfigLocation Location => new(File, _node.Start.Line, _node.Start.Column, Path);

    public bool Has(string key) => Find(key) is not null;

    public string? String(string key) => Scalar(key)?.Text;

    /// <summary>
    /// The section this map itself (not its fallback) holds at <paramref name="key"/>, without a fallback; null when it
    /// holds none there, or holds a value: for a key that is a value in the defaults and a section per environment.
    /// </summary>
    public YamlMap? OwnSection(string key) => Find(key) is YamlMappingNode mapping ? Child(key, mapping, null) : null;

    /// <summary>The value of <paramref name="key"/> in the fallback (defaults) only: for a key this section holds in another form.</summary>
    public string? InheritedString(string key) => _fallback?.String(key);

    public string RequiredString(string key, string expected) =>
        Scalar(key)?.Text ?? throw Missing(key, expected);

    public bool? Bool(string key)
    {
        var scalar = Scalar(key);
        if (scalar is null) return null;
        return scalar.Text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw scalar.Invalid(ConfigErrors.Invalid, $"'{scalar.Text}' is not a boolean.", "true or false"),
        };
    }

    public int? Int(string key, int min, int max)
    {
        var scalar = Scalar(key);
        if (scalar is null) return null;
        if (int.TryParse(scalar.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        throw scalar.Invalid(ConfigErrors.Invalid, $"'{scalar.Text}' is not a whole number from {min} to {max}.", $"a whole number from {min} to {max}");
    }

    /// <summary>A rate written as a fraction (0.05) or a percent (5%).</summary>
    public double? Fraction(string key)
    {
        var scalar = Scalar(key);
        if (scalar is null) return null;
        var text = scalar.Text.Trim();
        var percent = text.EndsWith('%');
        if (double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            value = percent ? value / 100 : value;
            if (value is >= 0 and <= 1) return value;
        }

        throw scalar.Invalid(ConfigErrors.Invalid, $"'{scalar.Text}' is not a rate between 0 and 1.", "a fraction such as 0.05 or a percent such as 5%");
    }

    public Uri? Url(string key)
    {
        var scalar = Scalar(key);
        if (scalar is null) return null;
        if (Uri.TryCreate(scalar.Text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        throw scalar.Invalid(ConfigErrors.InvalidUrl, $"'{scalar.Text}' is not an absolute http or https URL.", "a URL such as https://api.staging.skillancer.com/health");
    }

    public Uri RequiredUrl(string key) => Url(key) ?? throw Missing(key, "an absolute http or https URL");

    public TimeSpan? Duration(string key)
    {
        var scalar = Scalar(key);
        if (scalar is null) return null;
        if (Primitives.DurationParser.TryParse(scalar.Text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        throw scalar.Invalid(ConfigErrors.InvalidDuration, $"'{scalar.Text}' is not a positive duration.", Primitives.DurationParser.AcceptedForms);
    }

    /// <summary>A file or folder path; <c>~</c> means the home folder, and relative paths are relative to the config file.</summary>
    public string? FilePath(string key)
    {
        var text = String(key);
        if (text is null) return null;
        if (text == "~" || text.StartsWith("~/", StringComparison.Ordinal) || text.StartsWith("~\\", StringComparison.Ordinal))
        {
            text = System.IO.Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), text.Length > 1 ? text[2..] : string.Empty);
        }

        return System.IO.Path.GetFullPath(text, System.IO.Path.GetDirectoryName(File)!);
    }

    public YamlMap? Map(string key)
    {
        var node = Find(key);
        var fallback = _fallback?.Map(key);
        if (node is null) return fallback;
        if (node is YamlMappingNode mapping) return Child(key, mapping, fallback);
        if (IsNull(node)) return fallback;
        throw Invalid(node, key, ConfigErrors.Invalid, "This key holds a value where a section of keys belongs.", "a mapping of keys");
    }

    /// <summary>The entries of a mapping whose keys are names, such as <c>environments</c>; each falls back to <paramref name="fallback"/>.</summary>
    public IReadOnlyList<(string Name, YamlMap Map)> NamedMaps(string key, YamlMap? fallback = null) => Map(key)?.Entries(fallback) ?? [];

    /// <summary>This mapping's own entries, each a section of keys named by its key (a file of such sections).</summary>
    public IReadOnlyList<(string Name, YamlMap Map)> Entries(YamlMap? fallback = null)
    {
        var result = new List<(string, YamlMap)>();
        foreach (var (name, value) in _node.Children)
        {
            var text = ((YamlScalarNode)name).Value ?? string.Empty;
            _read.Add(text);
            if (value is not YamlMappingNode entry)
            {
                throw Invalid(value, text, ConfigErrors.Invalid, $"'{text}' must be a section of keys.", "a mapping of keys");
            }

            result.Add((text, Child(text, entry, fallback)));
        }

        return result;
    }

    public IReadOnlyList<YamlMap> Maps(string key)
    {
        var node = Find(key);
        if (node is null) return _fallback?.Maps(key) ?? [];
        if (IsNull(node)) return [];
        if (node is not YamlSequenceNode sequence)
        {
            throw Invalid(node, key, ConfigErrors.Invalid, "This key must hold a list.", "a list of sections, each item starting with '-'");
        }

        var result = new List<YamlMap>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is not YamlMappingNode item)
            {
                throw Invalid(sequence.Children[i], $"{key}[{i}]", ConfigErrors.Invalid, "This list item must be a section of keys.", "a mapping of keys");
            }

            result.Add(Child($"{key}[{i}]", item, null));
        }

        return result;
    }

    /// <summary>The entries of a mapping of single values (headers, expected JSON values), in the order written.</summary>
    public IReadOnlyList<(string Key, LocatedScalar Value)> Pairs(string key)
    {
        if (Map(key) is not { } map) return [];
        return map._node.Children.Select(pair =>
        {
            var name = ((YamlScalarNode)pair.Key).Value ?? string.Empty;
            return (name, map.Scalar(name) ?? new LocatedScalar(string.Empty, map.Locate(pair.Value, name)));
        }).ToList();
    }

    /// <summary>
    /// Any value written as JSON: a mapping or list becomes a JSON object or array, a plain scalar a
    /// number, boolean or null where it reads as one, and a string otherwise. Null when the key is absent.
    /// </summary>
    public string? Json(string key) => Find(key) is { } node && !IsNull(node) ? ToJson(node)?.ToJsonString() : null;

    private static System.Text.Json.Nodes.JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new System.Text.Json.Nodes.JsonObject(mapping.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? string.Empty, ToJson(p.Value)))),
        YamlSequenceNode sequence => new System.Text.Json.Nodes.JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } plain when IsNull(plain) => null,
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } flag => System.Text.Json.Nodes.JsonValue.Create(flag.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } number when decimal.TryParse(number.Value ?? string.Empty, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            => System.Text.Json.Nodes.JsonValue.Create(value),
        YamlScalarNode scalar => System.Text.Json.Nodes.JsonValue.Create(scalar.Value ?? string.Empty),
        _ => null,
    };

    public IReadOnlyList<LocatedScalar> Scalars(string key)
    {
        var node = Find(key);
        if (node is null) return _fallback?.Scalars(key) ?? [];
        if (IsNull(node)) return [];
        var items = node switch
        {
            YamlSequenceNode sequence => sequence.Children.ToList(),
            YamlScalarNode => [node],
            _ => throw Invalid(node, key, ConfigErrors.Invalid, "This key must hold a list of values.", "a list such as [Friday, Monday]"),
        };
        return items.Select((item, i) => item is YamlScalarNode scalar
                ? new LocatedScalar(scalar.Value ?? string.Empty, Locate(scalar, $"{key}[{i}]"))
                : throw Invalid(item, $"{key}[{i}]", ConfigErrors.Invalid, "This list item must be a single value.", "a value"))
            .ToList();
    }

    public LocatedScalar? Scalar(string key)
    {
        var node = Find(key);
        if (node is null) return _fallback?.Scalar(key);
        if (IsNull(node)) return null;
        if (node is not YamlScalarNode scalar)
        {
            throw Invalid(node, key, ConfigErrors.Invalid, "This key must hold a single value, not a section or a list.", "a single value");
        }

        return new LocatedScalar(scalar.Value ?? string.Empty, Locate(scalar, key));
    }

    public DeployException Missing(string key, string expected) =>
        ConfigErrors.At(Location with { Key = Join(key) }, ConfigErrors.Invalid, $"The required key '{key}' is missing.", expected);

    /// <summary>Reports every key, here and in the sections read below, that nothing asked for.</summary>
    public void CollectUnknownKeys(ICollection<ConfigWarning> warnings)
    {
        foreach (var (key, value) in _node.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? string.Empty;
            if (!_read.Contains(name))
            {
                var location = Locate(key, name);
                if (!warnings.Any(w => w.Location == location))
                {
                    warnings.Add(new ConfigWarning(location, $"Unknown key '{name}' is ignored. Check its spelling against the configuration reference."));
                }
            }
        }

        foreach (var child in _children.Values)
        {
            child.CollectUnknownKeys(warnings);
        }

        _fallback?.CollectUnknownKeys(warnings);
    }

    // One child per key, so that every read of a section marks keys on the same object.
    private YamlMap Child(string key, YamlMappingNode node, YamlMap? fallback)
    {
        if (!_children.TryGetValue(key, out var child))
        {
            child = _children[key] = new YamlMap(File, Join(key), node, fallback);
        }

        return child;
    }

    private YamlNode? Find(string key)
    {
        if (_node.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            _read.Add(key);
            return value;
        }

        return null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private ConfigLocation Locate(YamlNode node, string key) => new(File, node.Start.Line, node.Start.Column, Join(key));

    private DeployException Invalid(YamlNode node, string key, string errorId, string problem, string expected) =>
        ConfigErrors.At(Locate(node, key), errorId, problem, expected);

    private string Join(string key) => Path.Length == 0 ? key : key.StartsWith('[') ? Path + key : $"{Path}.{key}";
}

/// <summary>A scalar value and where it was written.</summary>
internal sealed record LocatedScalar(string Text, ConfigLocation Location)
{
    public DeployException Invalid(string errorId, string problem, string expected) => ConfigErrors.At(Location, errorId, problem, expected);
}
