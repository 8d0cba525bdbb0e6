using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Skillancer.Deploy.Engine.Release.Npm;

/// <summary>
/// JSON.parse and JSON.stringify as JavaScript does them, so that a file we rewrite is byte-for-byte
/// what npm would write: the same property order, number formatting, string escaping and layout.
/// Values are <see cref="JsObject"/>, <see cref="List{T}"/> of values, string, double, bool or null.
/// </summary>
internal static class JsJson
{
    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 1024 };

    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static object? Parse(string text)
    {
        using var document = JsonDocument.Parse(text, Strict);
        return Convert(document.RootElement);
    }

    /// <summary>JSON.stringify(value, null, indent): an empty indent means no line breaks at all.</summary>
    public static string Stringify(object? value, string indent)
    {
        var builder = new StringBuilder();
        Write(builder, value, indent.Length > 10 ? indent[..10] : indent, string.Empty);
        return builder.ToString();
    }

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ConvertObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static JsObject ConvertObject(JsonElement element)
    {
        var result = new JsObject();
        foreach (var property in element.EnumerateObject())
        {
            result.Set(property.Name, Convert(property.Value));
        }

        return result;
    }

    private static void Write(StringBuilder builder, object? value, string gap, string indent)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case bool flag:
                builder.Append(flag ? "true" : "false");
                break;
            case double number:
                builder.Append(JsNumber.Format(number));
                break;
            case string text:
                Quote(builder, text);
                break;
            case List<object?> array:
                WriteContainer(builder, '[', ']', array.Select(item => (Key: (string?)null, Value: item)).ToList(), gap, indent);
                break;
            case JsObject obj:
                WriteContainer(builder, '{', '}', obj.Properties.Select(p => (Key: (string?)p.Key, p.Value)).ToList(), gap, indent);
                break;
            default:
                throw new ArgumentException($"Not a JSON value: {value.GetType()}", nameof(value));
        }
    }

    private static void WriteContainer(StringBuilder builder, char open, char close, List<(string? Key, object? Value)> members, string gap, string indent)
    {
        if (members.Count == 0)
        {
            builder.Append(open).Append(close);
            return;
        }

        var inner = indent + gap;
        builder.Append(open);
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            if (gap.Length > 0)
            {
                builder.Append('\n').Append(inner);
            }

            if (members[i].Key is { } key)
            {
                Quote(builder, key);
                builder.Append(gap.Length > 0 ? ": " : ":");
            }

            Write(builder, members[i].Value, gap, inner);
        }

        if (gap.Length > 0)
        {
            builder.Append('\n').Append(indent);
        }

        builder.Append(close);
    }

    // QuoteJSONString: short escapes for the usual controls, \u00xx for the rest, lone surrogates escaped.
    private static void Quote(StringBuilder builder, string text)
    {
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20 || (char.IsSurrogate(c) && !IsPairedSurrogate(text, i)))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    private static bool IsPairedSurrogate(string text, int i) =>
        char.IsHighSurrogate(text[i])
            ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
            : i > 0 && char.IsHighSurrogate(text[i - 1]);
}
