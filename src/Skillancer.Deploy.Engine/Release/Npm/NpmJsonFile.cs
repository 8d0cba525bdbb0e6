using System.Text.Json;
using System.Text.RegularExpressions;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Release.Npm;

/// <summary>
/// Sets the version in package.json and package-lock.json exactly as
/// <c>npm version X.Y.Z --no-git-tag-version</c> does (libnpmversion): the file is parsed, its
/// indent and line break are read from its first lines (json-parse-even-better-errors), the
/// version is assigned, <c>_id</c> is dropped, and it is written back with JSON.stringify in that
/// indent, a final line break, and the same line breaks throughout. A byte-order mark is dropped.
/// </summary>
internal static partial class NpmJsonFile
{
    // JavaScript's `$` (without the m flag) is the very end of the text, hence \z here.
    [GeneratedRegex(@"^(?:\{\}|\[\])((?:\r?\n)+)?\z")]
    private static partial Regex EmptyDocument();

    [GeneratedRegex(@"^\s*[{\[]((?:\r?\n)+)([\s\t]*)")]
    private static partial Regex FirstLines();

    /// <summary>
    /// Returns <paramref name="text"/> with its root <c>version</c> set and, in a lock file, the
    /// <c>version</c> of each entry of <c>packages</c> named in <paramref name="lockPackageKeys"/>
    /// ("" for the root package) that exists.
    /// </summary>
    /// <exception cref="DeployException"><c>PackageJsonInvalid</c> when the text is not a JSON object.</exception>
    public static string SetVersion(string text, string version, string displayPath, IReadOnlyCollection<string>? lockPackageKeys = null)
    {
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        var (newline, indent) = DetectFormat(text);
        object? parsed;
        try
        {
            parsed = JsJson.Parse(text);
        }
        catch (JsonException e)
        {
            throw Invalid(displayPath, $"it is not valid JSON ({e.Message})", e);
        }

        if (parsed is not JsObject root)
        {
            throw Invalid(displayPath, "its top level is not a JSON object", null);
        }

        root.Set("version", version);
        if (lockPackageKeys is not null && root.TryGet("packages", out var packages) && packages is JsObject entries)
        {
            foreach (var key in lockPackageKeys)
            {
                if (entries.TryGet(key, out var entry) && entry is JsObject package)
                {
                    package.Set("version", version);
                }
            }
        }

        root.Remove("_id");
        var raw = JsJson.Stringify(root, indent) + "\n";
        return newline == "\n" ? raw : raw.Replace("\n", newline, StringComparison.Ordinal);
    }

    /// <summary>The version in a package.json text, or null when it has none.</summary>
    public static string? ReadVersion(string text, string displayPath)
    {
        try
        {
            return JsJson.Parse(text.TrimStart('\uFEFF')) is JsObject root && root.TryGet("version", out var version) ? version as string : null;
        }
        catch (JsonException e)
        {
            throw Invalid(displayPath, $"it is not valid JSON ({e.Message})", e);
        }
    }

    private static (string Newline, string Indent) DetectFormat(string text)
    {
        var match = EmptyDocument().Match(text);
        if (!match.Success)
        {
            match = FirstLines().Match(text);
        }

        if (!match.Success)
        {
            return (string.Empty, string.Empty);
        }

        var newline = match.Groups[1].Success ? match.Groups[1].Value : "\n";
        var indent = match.Groups.Count > 2 && match.Groups[2].Success ? match.Groups[2].Value : "  ";
        return (newline, indent);
    }

    private static DeployException Invalid(string path, string problem, Exception? inner) =>
        new(ReleaseErrors.PackageJsonInvalid, DeployErrorCategory.InvalidData,
            $"{path} cannot be updated: {problem}. Fix the file (npm would fail on it too) and run the command again.", path, inner);
}
