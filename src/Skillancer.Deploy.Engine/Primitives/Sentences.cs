namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// Builds messages out of parts that come from elsewhere (an exception's message, git's stderr, a
/// server's answer) and our own advice. Those parts often lack a full stop, and joined with a space
/// they ran into each other ("Connection refused Check the network"). Every message that puts
/// advice after a cause goes through <see cref="Join"/>.
/// </summary>
public static class Sentences
{
    /// <summary>
    /// The cause and the advice as consecutive sentences on one line: each part has its line breaks
    /// and runs of spaces made single spaces, gets a full stop when it ends without one, and empty
    /// parts are left out.
    /// </summary>
    public static string Join(string? cause, params string?[] advice) =>
        string.Join(' ', advice.Prepend(cause)
            .Select(part => string.Join(' ', (part ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .Where(part => part.Length > 0)
            .Select(End));

    /// <summary>The text as a finished sentence: trimmed, with a full stop unless it already ends with one, '!' or '?'.</summary>
    public static string End(string text)
    {
        var sentence = text.Trim();
        if (sentence.Length == 0)
        {
            return sentence;
        }

        // A closing quote or bracket after the stop ('... refused.)', '"... failed."') still ends the sentence.
        var last = sentence.TrimEnd('"', '\'', ')', ']', '”', '’');
        if (last.Length > 0 && last[^1] is '.' or '!' or '?')
        {
            return sentence;
        }

        return sentence.EndsWith(':') || sentence.EndsWith(';') || sentence.EndsWith(',') ? sentence[..^1] + "." : sentence + ".";
    }
}
