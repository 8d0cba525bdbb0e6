using System.Collections.Concurrent;

namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// A token, password or connection string. It prints as <c>***</c> everywhere, and every value
/// ever wrapped is remembered so that <see cref="Redact"/> can scrub it from any text that leaves
/// the module (errors, verbose, warnings), even text that a server echoed back. Values shorter than
/// <see cref="MinimumRedactedLength"/> are not scrubbed: a one-letter password would otherwise turn
/// every message into stars.
/// </summary>
public sealed class Secret
{
    /// <summary>The shortest value that is scrubbed from text.</summary>
    public const int MinimumRedactedLength = 4;

    private static readonly ConcurrentDictionary<string, byte> KnownValues = new(StringComparer.Ordinal);
    private readonly string _value;

    /// <summary>Wraps a secret value; the value is registered for redaction (<see cref="RegisterForRedaction"/>).</summary>
    public Secret(string value, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
        Source = source;
        RegisterForRedaction(value);
    }

    /// <summary>
    /// Registers a value that must never leave the module (a token a library resolved, a password inside a
    /// connection string) without wrapping it: from now on <see cref="Redact"/> scrubs it. The registry lives
    /// as long as the process and only grows, so that text echoed back later is scrubbed too. Values shorter
    /// than <see cref="MinimumRedactedLength"/> are not registered.
    /// </summary>
    public static void RegisterForRedaction(string? value)
    {
        if (value is { Length: >= MinimumRedactedLength })
        {
            KnownValues.TryAdd(value, 0);
        }
    }

    /// <summary>Where the value came from, e.g. <c>environment variable ADMIN_TOKEN</c>. Never the value.</summary>
    public string Source { get; }

    /// <summary>The value itself, for the single place that must send it.</summary>
    public string Reveal() => _value;

    /// <inheritdoc/>
    public override string ToString() => "***";

    /// <summary>Replaces every known secret value in <paramref name="text"/> with <c>***</c>.</summary>
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text) || KnownValues.IsEmpty)
        {
            return text;
        }

        foreach (var value in KnownValues.Keys.OrderByDescending(v => v.Length))
        {
            text = text.Replace(value, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
