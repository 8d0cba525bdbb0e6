namespace Skillancer.Deploy.Engine.Release.Npm;

/// <summary>
/// A JSON object with JavaScript's property semantics: a repeated key keeps its first position and
/// its last value, and integer-like keys ("0", "42") come first in ascending order, as
/// JSON.parse and JSON.stringify order them.
/// </summary>
internal sealed class JsObject
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public void Set(string key, object? value)
    {
        if (!_values.ContainsKey(key))
        {
            _order.Add(key);
        }

        _values[key] = value;
    }

    public bool TryGet(string key, out object? value) => _values.TryGetValue(key, out value);

    public void Remove(string key)
    {
        if (_values.Remove(key))
        {
            _order.Remove(key);
        }
    }

    /// <summary>The properties in the order JavaScript enumerates them.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Properties =>
        _order.Where(IsArrayIndex).OrderBy(k => uint.Parse(k, System.Globalization.CultureInfo.InvariantCulture))
            .Concat(_order.Where(k => !IsArrayIndex(k)))
            .Select(k => new KeyValuePair<string, object?>(k, _values[k]));

    public int Count => _order.Count;

    // A canonical array index: "0", or digits without a leading zero, below 2^32 - 1.
    private static bool IsArrayIndex(string key) =>
        key.Length is > 0 and <= 10
        && key.All(char.IsAsciiDigit)
        && (key == "0" || key[0] != '0')
        && ulong.Parse(key, System.Globalization.CultureInfo.InvariantCulture) < uint.MaxValue;
}
